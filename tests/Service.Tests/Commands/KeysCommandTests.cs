using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Commands;

internal sealed partial class KeysCommandTests
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

    [Test(Description = "Issue 13")]
    public async Task A_key_added_while_the_service_runs_is_accepted_without_a_restart()
    {
        var log = new CapturingLoggerProvider();
        using var root = new ServiceApplication();
        using var app = root.WithWebHostBuilder(b => b.ConfigureLogging(logging => logging.AddProvider(log)));
        using (var admin = app.CreateClient())
        {
            // The running service has read its keys (and would keep them) before the new one exists.
            admin.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, TestApiKeys.Admin);
            Assert.That((await admin.GetAsync("/api/v1/auth/whoami")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var (exit, output, error) = await RunAsync(root.DataDirectory, "keys", "add", "night-desk", "--role", "admissions");
        Assert.That((exit, error), Is.EqualTo((0, "")));
        var key = PrintedKey().Match(output).Groups[1].Value;
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);

        // At once: the very next request, not after the file watcher's debounce (a script that adds a key and uses it
        // straight away got 401).
        using (var first = await client.GetAsync("/api/v1/auth/whoami"))
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var caller = await client.GetFromJsonAsync<Caller>("/api/v1/auth/whoami");
        Assert.That((caller!.Name, caller.Roles.Single()), Is.EqualTo(("night-desk", Roles.Admissions)));
        Assert.That(output, Does.Contain("no restart"), "the command says so");
        Assert.That(log.AllText, Does.Not.Contain(key), "the key is never logged");
    }

    [Test(Description = "Issue 13")]
    public async Task A_key_removed_from_apikeys_json_is_refused_by_the_running_service()
    {
        using var app = new ServiceApplication();
        var kept = PrintedKey().Match((await RunAsync(app.DataDirectory, "keys", "add", "kept", "--role", "finance")).Output).Groups[1].Value;
        var revoked = PrintedKey().Match((await RunAsync(app.DataDirectory, "keys", "add", "revoked", "--role", "finance")).Output).Groups[1].Value;
        using var keptClient = app.CreateClient(kept);
        using var revokedClient = app.CreateClient(revoked);
        Assert.That((await revokedClient.GetAsync("/api/v1/auth/whoami")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // No `keys remove` yet: the operator deletes the entry from the file.
        var path = Path.Combine(app.DataDirectory, SecurityExtensions.ApiKeysFileName);
        var document = JsonNode.Parse(File.ReadAllText(path))!;
        var keys = document["Auth"]!["ApiKeys"]!.AsArray();
        keys.Remove(keys.Single(entry => (string?)entry!["Name"] == "revoked"));
        File.WriteAllText(path, document.ToJsonString());

        Assert.That(await WaitForStatusAsync(revokedClient, HttpStatusCode.Unauthorized), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await keptClient.GetAsync("/api/v1/auth/whoami")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test(Description = "Issue 14")]
    public async Task Keys_revoke_removes_a_key_and_the_running_service_refuses_it()
    {
        using var app = new ServiceApplication();
        var kept = PrintedKey().Match((await RunAsync(app.DataDirectory, "keys", "add", "kept", "--role", "finance")).Output).Groups[1].Value;
        var revoked = PrintedKey().Match((await RunAsync(app.DataDirectory, "keys", "add", "leaked", "--role", "finance")).Output).Groups[1].Value;
        using var keptClient = app.CreateClient(kept);
        using var revokedClient = app.CreateClient(revoked);
        Assert.That((await revokedClient.GetAsync("/api/v1/auth/whoami")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var (exit, output, error) = await RunAsync(app.DataDirectory, "keys", "revoke", "LEAKED");
        var (missing, _, missingError) = await RunAsync(app.DataDirectory, "keys", "revoke", "leaked");
        var (_, help, _) = await RunAsync(app.DataDirectory, "keys", "revoke", "--help");

        Assert.That((exit, error), Is.EqualTo((0, "")));
        Assert.That(output, Does.Contain("Revoked API key 'LEAKED'"));
        Assert.That(await WaitForStatusAsync(revokedClient, HttpStatusCode.Unauthorized), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await keptClient.GetAsync("/api/v1/auth/whoami")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((missing, missingError), Is.EqualTo((1, $"There is no API key named 'leaked' in {Path.Combine(app.DataDirectory, SecurityExtensions.ApiKeysFileName)}.{Environment.NewLine}")));
        Assert.That(help, Does.Contain("Revoke an API key"));
    }

    [Test(Description = "Issue 13")]
    public async Task An_invalid_edit_of_apikeys_json_keeps_the_previous_keys_and_says_why()
    {
        var log = new CapturingLoggerProvider();
        using var root = new ServiceApplication();
        using var app = root.WithWebHostBuilder(b => b.ConfigureLogging(logging => logging.AddProvider(log)));
        var key = PrintedKey().Match((await RunAsync(root.DataDirectory, "keys", "add", "front-desk", "--role", "admissions")).Output).Groups[1].Value;
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        Assert.That((await client.GetAsync("/api/v1/auth/whoami")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var path = Path.Combine(root.DataDirectory, SecurityExtensions.ApiKeysFileName);
        var document = JsonNode.Parse(File.ReadAllText(path))!;
        document["Auth"]!["ApiKeys"]!.AsArray().Add(new JsonObject { ["Name"] = "typo", ["KeyHash"] = "not-a-hash", ["Roles"] = new JsonArray("admin") });
        File.WriteAllText(path, document.ToJsonString());
        var deadline = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            await Task.Delay(100);
            status = (await client.GetAsync("/api/v1/auth/whoami")).StatusCode;
        }
        while (status == HttpStatusCode.OK && !log.Entries.Any(e => e.Message.Contains("not valid", StringComparison.Ordinal)) && deadline.Elapsed < s_reloadTimeout);

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "the keys in force before the edit still work");
        var warning = log.Entries.Single(e => e.Level == LogLevel.Warning && e.Message.Contains("not valid", StringComparison.Ordinal));
        Assert.That(warning.Message, Does.Contain("API key 'typo'"));
        Assert.That(log.AllText, Does.Not.Contain(key));
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
    [TestCase("urls=http://127.0.0.1:5080", false)]
    [TestCase("/urls|http://127.0.0.1:5080", false)]
    [TestCase("keys|add", true)]
    [TestCase("--help", true)]
    [TestCase("help", true)]
    [TestCase("frobnicate", true)]
    public void Only_command_names_are_taken_from_the_web_host(string args, bool isCommand)
    {
        Assert.That(CommandLine.IsCommand(args.Split('|', StringSplitOptions.RemoveEmptyEntries)), Is.EqualTo(isCommand));
    }

    private static readonly TimeSpan s_reloadTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Asks whoami until it answers <paramref name="expected"/> (the file watcher is asynchronous) or time runs out; returns the last status.</summary>
    private static async Task<HttpStatusCode> WaitForStatusAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = (await client.GetAsync("/api/v1/auth/whoami")).StatusCode;
            if (status == expected || deadline.Elapsed > s_reloadTimeout)
            {
                return status;
            }

            await Task.Delay(100);
        }
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
