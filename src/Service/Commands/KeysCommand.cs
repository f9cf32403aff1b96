using System.Buffers.Text;
using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Commands;

/// <summary>
/// <c>keys add NAME --role R [--role R2]</c>: creates a random API key, prints it once, and stores only its hash
/// (with name and roles) in <c>{data}/apikeys.json</c>, which the service watches: a running service accepts the key
/// from the next request, without a restart.
/// <c>keys list</c>: the locally stored keys (names and roles).
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

        return new Command(Name, "Manage API keys.") { add, list };
    }

    internal static int Add(CommandContext context, string name, IReadOnlyList<string> roles)
    {
        if (!KeyName().IsMatch(name))
        {
            context.Error.WriteLine($"The key name '{name}' is not valid: use 1-64 letters, digits, '.', '_' or '-'.");
            return 2;
        }

        var path = context.DataDirectory.EnsureExists().File(SecurityExtensions.ApiKeysFileName);
        var document = Load(path);
        var keys = document["Auth"]!["ApiKeys"]!.AsArray();
        if (keys.Any(entry => string.Equals((string?)entry?["Name"], name, StringComparison.OrdinalIgnoreCase)))
        {
            context.Error.WriteLine($"An API key named '{name}' already exists in {path}; choose another name.");
            return 1;
        }

        var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(KeyBytes));
        var hash = ApiKeyRegistry.Hash(key);
        var distinctRoles = roles.Distinct(StringComparer.Ordinal).ToArray();
        keys.Add(new JsonObject
        {
            ["Name"] = name,
            ["KeyHash"] = hash,
            ["Roles"] = new JsonArray([.. distinctRoles.Select(role => (JsonNode)role)]),
        });
        Save(path, document);

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
        var keys = Load(path)["Auth"]!["ApiKeys"]!.AsArray();
        if (keys.Count == 0)
        {
            context.Output.WriteLine($"No API keys in {path}.");
            return 0;
        }

        foreach (var entry in keys)
        {
            var roles = entry?["Roles"]?.AsArray().Select(role => (string?)role) ?? [];
            context.Output.WriteLine($"{(string?)entry?["Name"]}\t{string.Join(",", roles)}");
        }

        return 0;
    }

    private static JsonObject Load(string path)
    {
        var document = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? [] : [];
        if (document["Auth"] is not JsonObject auth)
        {
            document["Auth"] = auth = [];
        }

        if (auth["ApiKeys"] is not JsonArray)
        {
            auth["ApiKeys"] = new JsonArray();
        }

        return document;
    }

    /// <summary>Write-then-rename, so the service never reads a half-written file.</summary>
    private static void Save(string path, JsonObject document)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, document, s_jsonOptions);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static readonly JsonSerializerOptions s_jsonOptions = new() { WriteIndented = true };

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex KeyName();
}
