using System.CommandLine;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Consents;

/// <summary>
/// <c>consents show ID</c> and <c>consents revoke ID --method written [--reason TEXT]</c>: the operator's way to record
/// a revocation that reached the program outside the staff pages (a letter, an email to the privacy officer).
/// </summary>
internal static class ConsentsCommand
{
    public const string Name = "consents";

    public static Command Create(CommandContext context)
    {
        var id = new Argument<Guid>("id") { Description = "The consent's id (shown with each verification as consent.id)." };
        var method = new Option<string>("--method")
        {
            Description = "How the patient revoked it: verbal, written or electronic.",
            Required = true,
        };
        method.AcceptOnlyFromAmong([.. ConsentMethods.All]);
        var reason = new Option<string?>("--reason") { Description = "A short note, stored encrypted (at most 500 characters)." };
        var by = new Option<string?>("--by") { Description = "Who records it (default: operator:<your login>)." };

        var revoke = new Command("revoke", "Record that the patient revoked a consent: from then on no payer is asked under it, and its queued checks stop.")
        {
            id, method, reason, by,
        };
        revoke.SetAction((parse, cancellationToken) => RevokeAsync(
            context, parse.GetValue(id), new RevocationRequest(parse.GetValue(method), parse.GetValue(reason)), parse.GetValue(by), TimeProvider.System, cancellationToken));

        var showId = new Argument<Guid>("id") { Description = "The consent's id." };
        var show = new Command("show", "Print one consent record and its state.") { showId };
        show.SetAction((parse, cancellationToken) => ShowAsync(context, parse.GetValue(showId), TimeProvider.System, cancellationToken));

        return new Command(Name, "Consent records (42 CFR Part 2).") { show, revoke };
    }

    internal static async Task<int> RevokeAsync(
        CommandContext context, Guid id, RevocationRequest request, string? by, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var errors = new Infrastructure.Json.FieldErrors();
        if (ConsentsApi.Validate(request, errors) is not { } revocation)
        {
            foreach (var (field, messages) in errors.ToDictionary())
            {
                context.Error.WriteLine($"--{field}: {string.Join(" ", messages)}");
            }

            return CommandLine.UsageExitCode;
        }

        if (await OpenStoreAsync(context, timeProvider, cancellationToken) is not { } store)
        {
            return 1;
        }

        var access = new AccessContext(string.IsNullOrWhiteSpace(by) ? $"operator:{Environment.UserName}" : by.Trim(), Roles.Admin, "revoke consent (command line)");
        var result = await store.RevokeAsync(id, revocation, access, cancellationToken);
        if (result is null)
        {
            context.Error.WriteLine($"No consent {id}.");
            return 1;
        }

        context.Output.WriteLine(result.AlreadyRevoked
            ? $"Consent {id} was already revoked at {result.Consent.RevokedAt:u} by {result.Consent.RevokedBy}; nothing changed."
            : $"Consent {id} revoked at {result.Consent.RevokedAt:u} by {result.Consent.RevokedBy}: {result.AlsoRevoked} other consent(s) for the same member revoked with it, {result.Stopped} queued verification(s) stopped. No payer is asked under it from now on.");
        return 0;
    }

    internal static async Task<int> ShowAsync(CommandContext context, Guid id, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await OpenStoreAsync(context, timeProvider, cancellationToken) is not { } store)
        {
            return 1;
        }

        var consent = await store.GetAsync(id, new AccessContext($"operator:{Environment.UserName}", Roles.Admin, "view consent (command line)"), cancellationToken);
        if (consent is null)
        {
            context.Error.WriteLine($"No consent {id}.");
            return 1;
        }

        context.Output.WriteLine($"Consent {consent.Id}: {consent.StateAt(timeProvider.GetUtcNow())}");
        context.Output.WriteLine($"  given by the {consent.GivenBy}, {consent.Method}, at {consent.GivenAt:u}; recorded by {consent.AttestedBy} ({consent.Source})");
        context.Output.WriteLine($"  allows {consent.Purpose} checks with payer {consent.PayerId} until {consent.ExpiresAt:u}");
        if (consent.RevokedAt is { } revokedAt)
        {
            context.Output.WriteLine($"  revoked at {revokedAt:u} by {consent.RevokedBy} ({consent.RevocationMethod})");
        }

        return 0;
    }

    private static async Task<ConsentStore?> OpenStoreAsync(CommandContext context, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await PhiCommand.LoadOptionsAsync(context, cancellationToken) is not { } options)
        {
            return null;
        }

        return await context.OpenMigratedDatabaseAsync(cancellationToken) is { } database
            ? new ConsentStore(database, new PhiProtector(Options.Create(options)), timeProvider, NullLogger<ConsentStore>.Instance)
            : null;
    }
}
