using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Commands;

public sealed partial class KeysCommandTests
{
    [Test]
    public async Task A_key_created_by_keys_add_is_accepted_by_the_service_after_start()
    {
        using var app = new ServiceApplication();
        var (exit, output, error) = await RunAsync(app.DataDirectory, "keys", "add", "front-desk", "--role", "admissions", "--role", "finance");
        Assert.That((exit, error), Is.EqualTo((0, "")));
        var key = PrintedKey().Match(output).Groups[1].Value;
        Assert.That(Convert.FromBase64String(key.Replace('-', '+').Replace('_', '/') + "="), Has.Length.EqualTo(32));

        using var client = app.CreateClient(key);
        var caller = await client.GetFromJsonAsync<Caller>("/api/v1/auth/whoami");

        Assert.That(caller!.Name, Is.EqualTo("front-desk"));
        Assert.That(caller.Roles, Is.EqualTo(new[] { Roles.Admissions, Roles.Finance }));
        Assert.That(File.ReadAllText(Path.Combine(app.DataDirectory, SecurityExtensions.ApiKeysFileName)), Does.Not.Contain(key), "only the hash is stored");
    }

    [Test]
    public async Task The_printed_environment_variables_configure_the_same_key()
    {
        string output;
        using (var dataDirectory = new TempFolder("keys"))
        {
            (_, output, _) = await RunAsync(dataDirectory.Path, "keys", "add", "website-backend", "--role", "website");
        }

        var key = PrintedKey().Match(output).Groups[1].Value;
        var settings = EnvironmentLine().Matches(output)
            .ToDictionary(
                m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal).Replace("ApiKeys:0:", "ApiKeys:10:", StringComparison.Ordinal),
                m => (string?)m.Groups[2].Value);
        Assert.That(settings, Has.Count.EqualTo(3));

        using var app = new ServiceApplication(settings);
        using var client = app.CreateClient(key);

        var caller = await client.GetFromJsonAsync<Caller>("/api/v1/auth/whoami");

        Assert.That(caller, Is.Not.Null);
        Assert.That((caller!.Name, caller.Roles.Single()), Is.EqualTo(("website-backend", Roles.Website)));
    }

    [Test]
    public async Task Keys_are_random_and_names_unique()
    {
        using var app = new ServiceApplication();
        var first = await RunAsync(app.DataDirectory, "keys", "add", "a", "--role", "admin");
        var second = await RunAsync(app.DataDirectory, "keys", "add", "b", "--role", "admin");
        var duplicate = await RunAsync(app.DataDirectory, "keys", "add", "A", "--role", "finance");
        var list = await RunAsync(app.DataDirectory, "keys", "list");

        Assert.That(PrintedKey().Match(first.Output).Groups[1].Value, Is.Not.EqualTo(PrintedKey().Match(second.Output).Groups[1].Value));
        Assert.That(duplicate.Exit, Is.EqualTo(1));
        Assert.That(duplicate.Error, Does.Contain("already exists"));
        Assert.That(list.Output, Is.EqualTo("a\tadmin\nb\tadmin\n"));
    }

    [TestCase("keys|add|front desk|--role|admissions")]
    [TestCase("keys|add|front-desk|--role|superuser")]
    [TestCase("keys|add|front-desk")]
    public async Task Bad_arguments_fail_without_creating_a_key(string args)
    {
        using var app = new ServiceApplication();

        var (exit, output, _) = await RunAsync(app.DataDirectory, args.Split('|'));

        Assert.That(exit, Is.Not.Zero);
        Assert.That(output, Does.Not.Contain("Key:"));
        Assert.That(File.Exists(Path.Combine(app.DataDirectory, SecurityExtensions.ApiKeysFileName)), Is.False);
    }

    [TestCase("", false)]
    [TestCase("--urls|http://127.0.0.1:5080", false)]
    [TestCase("--environment|Development", false)]
    [TestCase("keys|add", true)]
    public void Only_command_names_are_taken_from_the_web_host(string args, bool isCommand)
    {
        Assert.That(CommandLine.IsCommand(args.Split('|', StringSplitOptions.RemoveEmptyEntries)), Is.EqualTo(isCommand));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string dataDirectory, params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = dataDirectory })
            .Build();
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exit = await CommandLine.RunAsync(args, configuration, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"^Key: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex PrintedKey();

    [GeneratedRegex(@"^\s+(Auth__ApiKeys__\d+__\w+(?:__\d+)?)=(\S+)$", RegexOptions.Multiline)]
    private static partial Regex EnvironmentLine();
}
