using System.CommandLine;
using System.Text;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// <c>users add NAME --role R [--role R2]</c>: creates a local staff account for the staff pages. The password is read
/// from standard input (typed twice without echo at a terminal, or the first line of piped input), hashed in ASP.NET
/// Core Identity's format (PBKDF2-HMAC-SHA256, 600,000 iterations) and stored in the <c>users</c> table of the configured database (migrated first if needed).
/// <c>users disable NAME</c>: the account can no longer sign in and its open sessions end (audited).
/// </summary>
internal static class UsersCommand
{
    public const string Name = "users";

    public static Command Create(CommandContext context)
    {
        var name = new Argument<string>("name") { Description = "The sign-in name, e.g. jane.doe (letters, digits, '.', '_', '-', '@')." };
        var roles = new Option<string[]>("--role")
        {
            Description = $"A role for the user; repeat for several ({string.Join(", ", Roles.All)}).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        roles.AcceptOnlyFromAmong([.. Roles.All]);

        var add = new Command(
            "add",
            $"Create a staff account; the password is read from standard input ({UserStore.MinPasswordLength}-{UserStore.MaxPasswordLength} characters, not one of the 10,000 most common, not containing the name).")
        {
            name,
            roles,
        };
        add.SetAction((parseResult, cancellationToken) => AddAsync(
            context, parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(roles), PasswordSource.Console, cancellationToken));

        var disabledName = new Argument<string>("name") { Description = "The sign-in name of the account to disable." };
        var disable = new Command(
            "disable",
            "Disable a staff account: it can no longer sign in, and every session it has ends at its next request. Recorded in the audit trail.")
        {
            disabledName,
        };
        disable.SetAction((parseResult, cancellationToken) => DisableAsync(context, parseResult.GetRequiredValue(disabledName), cancellationToken));
        return new Command(Name, "Manage staff accounts for the staff pages.") { add, disable };
    }

    /// <summary><c>users disable NAME</c>: the account is disabled and its sessions closed, in one transaction.</summary>
    internal static async Task<int> DisableAsync(CommandContext context, string userName, CancellationToken cancellationToken)
    {
        if (!UserStore.IsValidUserName(userName))
        {
            context.Error.WriteLine($"The user name '{userName}' is not valid.");
            return 2;
        }

        if (await context.OpenMigratedDatabaseAsync(cancellationToken) is not { } database)
        {
            return 1;
        }

        var access = new AccessContext($"operator:{Environment.UserName}", Roles.Admin, "users disable") { ActorKind = ActorKinds.Operator };
        if (!await new UserStore(database, TimeProvider.System).DisableAsync(userName, access, cancellationToken))
        {
            context.Error.WriteLine($"There is no user named '{userName}'.");
            return 1;
        }

        context.Output.WriteLine($"Disabled user '{userName}': they can no longer sign in, and their open sessions have ended.");
        return 0;
    }

    /// <summary>The command's work, callable from tests with a given password source.</summary>
    internal static async Task<int> AddAsync(
        CommandContext context, string userName, IReadOnlyList<string> roles, PasswordSource passwordSource, CancellationToken cancellationToken)
    {
        if (!UserStore.IsValidUserName(userName))
        {
            context.Error.WriteLine(UserStore.Validate(userName, "", roles));
            return 2;
        }

        var password = passwordSource.Read(context.Error);
        if (password is null)
        {
            context.Error.WriteLine("No password was given on standard input.");
            return 2;
        }

        if (UserStore.Validate(userName, password, roles) is { } problem)
        {
            context.Error.WriteLine(problem);
            return 2;
        }

        if (await context.OpenMigratedDatabaseAsync(cancellationToken) is not { } database)
        {
            return 1;
        }

        var store = new UserStore(database, TimeProvider.System);
        var outcome = await store.CreateAsync(userName, password, roles, cancellationToken);
        if (outcome == CreateUserOutcome.NameTaken)
        {
            context.Error.WriteLine($"A user named '{userName}' already exists; choose another name.");
            return 1;
        }

        context.Output.WriteLine($"Created user '{userName}' with role(s) {string.Join(", ", roles.Distinct(StringComparer.Ordinal))}. They can sign in at /staff/sign-in.");
        return 0;
    }
}

/// <summary>Where <c>users add</c> reads the password: the console (no echo at a terminal), or given text (tests).</summary>
internal abstract class PasswordSource
{
    public static PasswordSource Console { get; } = new ConsoleSource();

    public static PasswordSource FromText(string text) => new TextSource(new StringReader(text));

    /// <summary>The password, or null when there is none.</summary>
    public abstract string? Read(TextWriter prompt);

    private sealed class TextSource(TextReader reader) : PasswordSource
    {
        public override string? Read(TextWriter prompt) => reader.ReadLine();
    }

    private sealed class ConsoleSource : PasswordSource
    {
        public override string? Read(TextWriter prompt)
        {
            if (System.Console.IsInputRedirected)
            {
                return System.Console.In.ReadLine();
            }

            prompt.Write("Password: ");
            var first = ReadHidden();
            prompt.Write("Repeat it: ");
            var second = ReadHidden();
            if (!string.Equals(first, second, StringComparison.Ordinal))
            {
                prompt.WriteLine("The two passwords differ.");
                return null;
            }

            return first;
        }

        private static string ReadHidden()
        {
            var text = new StringBuilder();
            while (true)
            {
                var key = System.Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    System.Console.Error.WriteLine();
                    return text.ToString();
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (text.Length > 0)
                    {
                        text.Length--;
                    }
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    text.Append(key.KeyChar);
                }
            }
        }
    }
}
