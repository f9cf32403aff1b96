using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Features.Users;
using CoverageCheck.Service.Tests.Pages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>Issue #14, "Production defaults": what a Production host refuses, sends and keeps.</summary>
internal sealed class ProductionDefaultsTests
{
    private const string PublicHost = "coveragecheck.example.org";

    [Test]
    public void Issue14_production_without_a_clearinghouse_refuses_to_start_in_one_sentence()
    {
        using var app = new ServiceApplication();
        app.Settings.Environment = Environments.Production;

        var failure = Assert.Catch(() => _ = app.Services.GetRequiredService<IOptions<ClearinghouseChoice>>().Value);

        var failures = ValidationFailures(failure);
        Assert.That(failures, Has.Some.StartsWith("Clearinghouse:BaseUrl is empty"), failure?.ToString());
        Assert.That(failures.Single(f => f.StartsWith("Clearinghouse:BaseUrl", StringComparison.Ordinal)), Does.Contain("Clearinghouse:Sandbox"));
    }

    [Test]
    public async Task Production_runs_the_sandbox_when_it_is_asked_for_on_purpose()
    {
        using var app = new ServiceApplication(new Dictionary<string, string?> { ["Clearinghouse:Sandbox"] = "true" });
        app.Settings.Environment = Environments.Production;
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"https://{PublicHost}") });

        using var response = await client.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Issue14_the_built_service_in_Production_without_a_clearinghouse_exits_with_one_sentence_and_no_stack_trace()
    {
        using var data = new TempFolder("production-start");
        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", "Service"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "src", "Service", "bin", configuration, "net10.0", "CoverageCheck.Service.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        // As `ASPNETCORE_ENVIRONMENT=Production dotnet run` now starts the program: the launch profile's Development
        // arrives as COVERAGECHECK_LAUNCH_ENVIRONMENT, which yields to the caller's ASPNETCORE_ENVIRONMENT.
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment[LaunchEnvironment.Variable] = "Development";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Data__Directory"] = data.Path;
        start.Environment["Phi__Key"] = TestHostSettings.PhiKey;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        var error = await stderr;

        Assert.That(process.ExitCode, Is.EqualTo(1), await stdout);
        Assert.That(error, Does.Contain("CoverageCheck cannot start: Clearinghouse:BaseUrl is empty, so in Production"));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.GetFiles(data.Path, "phi.key*"), Is.Empty, "Production never generates a PHI key");
    }

    [Test]
    public async Task Issue14_a_good_faith_estimate_refuses_the_sandbox_NPI_and_tax_id_in_Production()
    {
        using var production = ProductionHost();
        using var testing = new ServiceApplication();
        using var configured = ProductionHost(new Dictionary<string, string?>
        {
            ["Clearinghouse:Provider:Npi"] = "1234567893",
            ["Provider:TaxId"] = "12-3456789",
        });
        _ = (await production.CreateClient().GetAsync("/health/live"), await configured.CreateClient().GetAsync("/health/live"));

        var problem = production.Services.GetRequiredService<GoodFaithEstimateDocument>().ProviderProblem();

        Assert.That(problem, Does.Contain("Clearinghouse:Provider:Npi and Provider:TaxId still hold the sandbox's value"));
        Assert.That(
            () => production.Services.GetRequiredService<GoodFaithEstimateDocument>().Issue(Guid.NewGuid(), null!, "someone"),
            Throws.TypeOf<ProviderNotConfiguredException>());
        Assert.That(testing.Services.GetRequiredService<GoodFaithEstimateDocument>().ProviderProblem(), Is.Null, "the sandbox is fine outside Production");
        Assert.That(configured.Services.GetRequiredService<GoodFaithEstimateDocument>().ProviderProblem(), Is.Null);
    }

    [Test]
    public void Issue14_the_launch_profile_leaves_ASPNETCORE_ENVIRONMENT_to_the_caller()
    {
        var path = Path.Combine(RepositoryRoot(), "src", "Service", "Properties", "launchSettings.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var profile in document.RootElement.GetProperty("profiles").EnumerateObject())
        {
            var variables = profile.Value.TryGetProperty("environmentVariables", out var found)
                ? found.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString())
                : [];
            Assert.That(variables.Keys, Has.No.Member("ASPNETCORE_ENVIRONMENT"), $"profile {profile.Name} would override the caller's ASPNETCORE_ENVIRONMENT");
            Assert.That(variables.Keys, Has.No.Member("DOTNET_ENVIRONMENT"), "it beats ASPNETCORE_ENVIRONMENT in WebApplication.CreateBuilder");
            Assert.That(variables.GetValueOrDefault(LaunchEnvironment.Variable), Is.EqualTo("Development"), "dotnet run still means Development by default");
        }
    }

    [TestCase(null, null, "Development", "Development")]
    [TestCase("Production", null, "Development", null)]
    [TestCase(null, "Staging", "Development", null)]
    [TestCase(null, null, null, null)]
    public void The_launch_profiles_environment_applies_only_when_the_caller_set_none(string? aspnetcore, string? dotnet, string? launch, string? expected)
    {
        var variables = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = aspnetcore,
            ["DOTNET_ENVIRONMENT"] = dotnet,
            [LaunchEnvironment.Variable] = launch,
        };
        Assert.That(LaunchEnvironment.Resolve(name => variables.GetValueOrDefault(name)), Is.EqualTo(expected));
    }

    [Test]
    public async Task Issue14_production_sends_HSTS_over_https_and_redirects_plain_http()
    {
        using var app = ProductionHost();
        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"https://{PublicHost}"), AllowAutoRedirect = false });
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{PublicHost}"), AllowAutoRedirect = false });

        using var secure = await https.GetAsync("/staff/sign-in");
        using var plain = await http.GetAsync("/staff/sign-in");
        using var probe = await http.GetAsync("/health/live");

        Assert.That(secure.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(secure.Headers.GetValues("Strict-Transport-Security").Single(), Does.Contain("max-age="));
        Assert.That(plain.StatusCode, Is.EqualTo(HttpStatusCode.PermanentRedirect));
        Assert.That(plain.Headers.Location, Is.EqualTo(new Uri($"https://{PublicHost}/staff/sign-in")));
        Assert.That(probe.StatusCode, Is.EqualTo(HttpStatusCode.OK), "a load balancer's plain-http health probe is answered, not redirected");
    }

    [Test]
    public async Task Issue14_behind_a_trusted_proxy_X_Forwarded_Proto_https_counts_as_https()
    {
        using var app = ProductionHost(new Dictionary<string, string?> { ["ForwardedHeaders:TrustedProxies:0"] = "10.9.0.0/16" });
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{PublicHost}"), AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/sign-in");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add(StaffClient.AddressHeader, "10.9.0.5");

        using var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the proxy said the client used https");
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.True);
    }

    [Test]
    public async Task Issue14_the_production_session_cookie_is_secure_and_host_prefixed()
    {
        using var app = ProductionHost();
        await AddUserAsync(app, "secure.cookie");
        using var client = StaffClient.For(app, baseAddress: $"https://{PublicHost}");

        using var response = await client.SignInAsync("secure.cookie", PagesHost.Password);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-", StringComparison.Ordinal) && c.Contains(StaffAuthentication.CookieName, StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("secure").IgnoreCase.And.Contain("path=/").IgnoreCase.And.Not.Contain("domain=").IgnoreCase);
        using var page = await client.Http.GetAsync("/staff/queue");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the prefixed cookie is the one read back");
    }

    [Test]
    public async Task Only_the_configured_host_names_are_answered()
    {
        using var app = ProductionHost(new Dictionary<string, string?> { ["AllowedHosts"] = PublicHost });
        using var ours = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"https://{PublicHost}") });
        using var other = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://evil.example") });

        Assert.That((await ours.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await other.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Issue14_data_protection_keys_are_in_the_database_encrypted_and_a_cookie_survives_a_second_host()
    {
        using var folder = new TempFolder("shared-keys");
        string cookie;
        using (var first = new ServiceApplication(dataFolder: folder) { ConfigureHost = StaffClient.UseClientAddresses })
        {
            _ = first.Server;
            await AddUserAsync(first, "restart.user");
            using var client = StaffClient.For(first);
            using var signIn = await client.SignInAsync("restart.user", PagesHost.Password);
            cookie = StaffSignInSecurityTests.SessionCookie(signIn);
        }

        using var second = new ServiceApplication(dataFolder: folder);
        using var copy = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/queue");
        request.Headers.Add("Cookie", cookie);
        using var response = await copy.SendAsync(request);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the second instance reads the first one's cookie");

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder.Path, "coveragecheck.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT xml FROM data_protection_keys";
        var keys = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.That(keys, Has.Count.EqualTo(1), "one key ring, shared");
        Assert.That(keys[0], Does.Contain("<key ").And.Contain("encryptedSecret"));
        Assert.That(keys[0], Does.Not.Contain("<masterKey"), "the key material is not stored in the clear");
    }

    [TestCase("passwordpassword")]
    [TestCase("123456789012")]
    [TestCase("QwertyUiop123")]
    public async Task Issue14_a_common_password_is_refused(string password)
    {
        using var app = new ServiceApplication();
        _ = app.Server;
        var (exit, error) = await RunUsersAddAsync(app, "common.pw", password);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("common"));
    }

    internal static async Task AddUserAsync(ServiceApplication app, string name)
    {
        _ = app.Server;
        var (exit, error) = await RunUsersAddAsync(app, name, PagesHost.Password);
        Assert.That(exit, Is.Zero, error);
    }

    private static async Task<(int Exit, string Error)> RunUsersAddAsync(ServiceApplication app, string name, string password)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = app.DataDirectory })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await UsersCommand.AddAsync(
            new CommandContext(configuration, CoverageCheck.Service.Data.DataDirectory.From(configuration), output, error),
            name, ["admissions"], PasswordSource.FromText(password), CancellationToken.None);
        return (exit, error.ToString());
    }

    private static ServiceApplication ProductionHost(IDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["Clearinghouse:Sandbox"] = "true" };
        var app = new ServiceApplication(all) { ConfigureHost = StaffClient.UseClientAddresses };
        app.Settings.Environment = Environments.Production;
        return app;
    }

    private static IReadOnlyList<string> ValidationFailures(Exception? failure)
    {
        var all = new List<string>();
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is OptionsValidationException validation)
            {
                all.AddRange(validation.Failures);
            }

            if (current is AggregateException aggregate)
            {
                all.AddRange(aggregate.InnerExceptions.OfType<OptionsValidationException>().SelectMany(v => v.Failures));
            }
        }

        return all;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CoverageCheck.sln) was not found.");
    }
}
