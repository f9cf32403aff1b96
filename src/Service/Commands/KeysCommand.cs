using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Commands;

/// <summary>
/// <c>keys add NAME --role R [--role R2]</c>: creates a random API key, prints it once, and stores only its hash
/// (with name and roles) in <c>{data}/apikeys.json</c>, which the service watches: a running service accepts the key
/// from the next request, without a restart.
/// <c>keys list</c>: the locally stored keys (names and roles).
/// <c>keys revoke NAME</c>: removes a locally stored key; the service refuses it from the next request.
/// </summary>
internal static partial class KeysCommand
{
    public const string Name = "keys";
    private const int KeyBytes = 32;

    public static Command Create(CommandContext context)
    {
        var name = new Argument<string>("name") { Description = "Who holds the key, e.g. website or admissions-desk (letters, digits, '.', '_', '-')." };
        var roles = new Option<string[]>("--role")
        {
            Description = $"A role for the key; repeat for several ({string.Join(", ", Roles.All)}).",
            Required = true,
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        roles.AcceptOnlyFromAmong([.. Roles.All]);

        var add = new Command("add", "Create an API key; it is printed once and only its hash is stored.") { name, roles };
        add.SetAction(parseResult => Add(context, parseResult.GetRequiredValue(name), parseResult.GetRequiredValue(roles)));

        var list = new Command("list", "List the API keys stored in the data folder (names and roles; keys are never stored).");
        list.SetAction(_ => List(context));

        var revokedName = new Argument<string>("name") { Description = "The name of the key to revoke, as 'keys list' shows it." };
        var revoke = new Command(
            "revoke",
            "Revoke an API key stored in the data folder: it is removed from apikeys.json, and a running service refuses it from the next request (no restart). Keys set in configuration (Auth__ApiKeys__N__*) are removed there.")
        {
            revokedName,
        };
        revoke.SetAction(parseResult => Revoke(context, parseResult.GetRequiredValue(revokedName)));

        return new Command(Name, "Manage API keys.") { add, list, revoke };
    }

    internal static int Revoke(CommandContext context, string name)
    {
        var path = context.DataDirectory.File(SecurityExtensions.ApiKeysFileName);
        var file = Load(path);
        var kept = file.Auth.ApiKeys.Where(entry => !string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (kept.Count == file.Auth.ApiKeys.Count)
        {
            var configured = context.Configuration.GetSection("Auth:ApiKeys").GetChildren()
                .Any(entry => string.Equals(entry["Name"], name, StringComparison.OrdinalIgnoreCase));
            context.Error.WriteLine(configured
                ? $"The API key '{name}' is set in configuration, not in {path}: remove its Auth:ApiKeys entry (Auth__ApiKeys__N__*) and restart."
                : $"There is no API key named '{name}' in {path}.");
            return 1;
        }

        Save(path, file with { Auth = file.Auth with { ApiKeys = kept } });
        context.Output.WriteLine($"Revoked API key '{name}': removed from {path}; a service using this data folder refuses it from the next request.");
        return 0;
    }

    internal static int Add(CommandContext context, string name, IReadOnlyList<string> roles)
    {
        if (!KeyName().IsMatch(name))
        {
            context.Error.WriteLine($"The key name '{name}' is not valid: use 1-64 letters, digits, '.', '_' or '-'.");
            return 2;
        }

        var path = context.DataDirectory.EnsureExists().File(SecurityExtensions.ApiKeysFileName);
        var file = Load(path);
        if (file.Auth.ApiKeys.Any(entry => string.Equals(entry.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            context.Error.WriteLine($"An API key named '{name}' already exists in {path}; choose another name.");
            return 1;
        }

        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));
        var hash = ApiKeyRegistry.Hash(key);
        var distinctRoles = roles.Distinct(StringComparer.Ordinal).ToArray();
        Save(path, file with { Auth = file.Auth with { ApiKeys = [.. file.Auth.ApiKeys, new ApiKeyEntry(name, hash, distinctRoles)] } });

        var index = context.Configuration.GetSection("Auth:ApiKeys").GetChildren().Count();
        var output = context.Output;
        output.WriteLine($"Created API key '{name}' with role(s) {string.Join(", ", distinctRoles)}.");
        output.WriteLine("Store the key now; it is not shown again and only its hash is kept.");
        output.WriteLine($"Key: {key}");
        output.WriteLine($"Saved to {path}; a service using this data folder accepts it now (no restart). Send it as the header X-Api-Key.");
        output.WriteLine("In production, configure it with environment variables instead (use the next free index for N):");
        output.WriteLine($"  Auth__ApiKeys__{index}__Name={name}");
        output.WriteLine($"  Auth__ApiKeys__{index}__KeyHash={hash}");
        for (var i = 0; i < distinctRoles.Length; i++)
        {
            output.WriteLine($"  Auth__ApiKeys__{index}__Roles__{i}={distinctRoles[i]}");
        }

        return 0;
    }

    private static int List(CommandContext context)
    {
        var path = context.DataDirectory.File(SecurityExtensions.ApiKeysFileName);
        var keys = Load(path).Auth.ApiKeys;
        if (keys.Count == 0)
        {
            context.Output.WriteLine($"No API keys in {path}.");
            return 0;
        }

        foreach (var entry in keys)
        {
            context.Output.WriteLine($"{entry.Name}\t{string.Join(",", entry.Roles ?? [])}");
        }

        return 0;
    }

    private static ApiKeysFile Load(string path) =>
        File.Exists(path) && JsonSerializer.Deserialize(File.ReadAllText(path), ApiKeysJsonContext.Default.ApiKeysFile) is { Auth.ApiKeys: not null } file
            ? file
            : new ApiKeysFile(new ApiKeysSection([]));

    /// <summary>Write-then-rename, so the service never reads a half-written file.</summary>
    private static void Save(string path, ApiKeysFile file)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, file, ApiKeysJsonContext.Default.ApiKeysFile);
        }

        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();
}

/// <summary>
/// <c>{data}/apikeys.json</c>: configuration in the shape the service binds (<c>Auth:ApiKeys:N:Name|KeyHash|Roles</c>),
/// so its names are those of <see cref="AuthOptions"/>, not camelCase.
/// </summary>
internal sealed record ApiKeysFile(ApiKeysSection Auth);

internal sealed record ApiKeysSection(IReadOnlyList<ApiKeyEntry> ApiKeys);

internal sealed record ApiKeyEntry(string Name, string KeyHash, IReadOnlyList<string> Roles);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ApiKeysFile))]
internal sealed partial class ApiKeysJsonContext : JsonSerializerContext;
