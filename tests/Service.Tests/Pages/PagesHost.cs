using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// The real service as a browser meets it: the built service executable on Kestrel at a 127.0.0.1 port, on the same
/// <see cref="TestHostSettings"/> as the in-memory hosts (passed as environment variables), with the built-in sandbox
/// clearinghouse so its faults can be switched, and the public website sample served from a second loopback origin
/// that the service allows by CORS. Running the built executable (rather than Kestrel under WebApplicationFactory)
/// also proves the static files, the content root and the start-up configuration checks as deployed. Every port is
/// chosen by the OS as it is bound (port 0) and read back, so hosts running side by side never race for one.
/// </summary>
/// <remarks>
/// A child process keeps the machine's clock (a <see cref="TimeProvider"/> cannot cross into it), so the browser tests
/// send no fixed dates to it: the verify form's own defaults (today, next Monday) are computed by the service.
/// </remarks>
internal sealed partial class PagesHost : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private const string SandboxCategory = "CoverageCheck.Service.Infrastructure.SandboxClearinghouse";

    private readonly TempFolder _data = new("pages");
    private readonly StringBuilder _log = new();
    private readonly WebsiteAddress _serviceForWebsite = new();
    private WebApplication? _website;
    private Process? _service;

    private PagesHost()
    {
    }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri SandboxAddress { get; private set; } = null!;

    public Uri WebsiteOrigin { get; private set; } = null!;

    public string DataDirectory => _data.Path;

    /// <summary>The service's console output: warnings and errors, and the two start-up lines that name its ports.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<PagesHost> StartAsync()
    {
        var host = new PagesHost();
        try
        {
            await host.StartCoreAsync(TimeSpan.FromSeconds(90));
            return host;
        }
        catch
        {
            // Never leave a service process or a data folder behind a fixture that could not start.
            await host.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(TimeSpan timeout)
    {
        _website = StartWebsite(_serviceForWebsite);
        await _website.StartAsync();
        WebsiteOrigin = new Uri(_website.Urls.Single());

        var settings = new TestHostSettings(DataDirectory).Set(new Dictionary<string, string?>
        {
            // The pending page must still be pending when the browser reaches it, and finish soon after the payer
            // recovers: retries every half second or so, and enough of them to outlast the test's wait.
            ["Verification:RetryBaseDelay"] = "00:00:00.500",
            ["Verification:MaxAttempts"] = "50",
            ["Verification:GiveUpAfter"] = "00:10:00",
            ["Website:AllowedOrigins:0"] = WebsiteOrigin.GetLeftPart(UriPartial.Authority),
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information", // "Now listening on: …"
            [$"Logging:LogLevel:{SandboxCategory}"] = "Information", // "… the sandbox clearinghouse answers at …"
        });

        var root = RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var serviceDll = Path.Combine(root, "src", "Service", "bin", configuration, "net10.0", "CoverageCheck.Service.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", "Service"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { serviceDll, "--urls", "http://127.0.0.1:0", "--contentRoot", Path.Combine(root, "src", "Service") })
        {
            start.ArgumentList.Add(argument);
        }

        settings.ApplyTo(start);
        _service = Process.Start(start) ?? throw new InvalidOperationException("The service process did not start.");
        _service.OutputDataReceived += (_, e) => Append(e.Data);
        _service.ErrorDataReceived += (_, e) => Append(e.Data);
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();

        await WaitUntilReadyAsync(_service, timeout);
    }

    /// <summary>Creates a staff account through the same code path as <c>users add NAME --role R</c>.</summary>
    public async Task CreateUserAsync(string name, params string[] roles)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = DataDirectory })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CommandContext(configuration, CoverageCheck.Service.Data.DataDirectory.From(configuration), output, error);
        var exit = await UsersCommand.AddAsync(context, name, roles, PasswordSource.FromText(Password + "\n"), CancellationToken.None);
        Assert.That(exit, Is.Zero, error.ToString());
    }

    public async Task SetFaultsAsync(FaultSettings faults)
    {
        using var sandbox = new HttpClient { BaseAddress = SandboxAddress };
        using var response = await sandbox.PutAsJsonAsync("/sandbox/faults", faults);
        response.EnsureSuccessStatusCode();
    }

    public async ValueTask DisposeAsync()
    {
        if (_service is not null)
        {
            if (!_service.HasExited)
            {
                _service.Kill(entireProcessTree: true);
                await _service.WaitForExitAsync();
            }

            _service.Dispose();
        }

        if (_website is not null)
        {
            await _website.DisposeAsync();
        }

        _data.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>Waits for the service to name its port, then to be ready, then reads the sandbox's port.</summary>
    private async Task WaitUntilReadyAsync(Process service, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (service.HasExited)
            {
                Assert.Fail($"The service exited with code {service.ExitCode} before it was ready:\n{Log}");
            }

            if (BaseAddress is null && ListeningOn().Match(Log) is { Success: true } listening)
            {
                BaseAddress = new Uri(listening.Groups[1].Value + "/");
                _serviceForWebsite.Service = BaseAddress;
            }

            if (BaseAddress is not null && await IsReadyAsync(client))
            {
                // Hosted services (the sandbox among them) have all started once the service is ready.
                var sandbox = SandboxAnswersAt().Match(Log);
                if (!sandbox.Success)
                {
                    Assert.Fail($"The service is ready but did not say where its sandbox clearinghouse listens:\n{Log}");
                }

                SandboxAddress = new Uri(sandbox.Groups[1].Value);
                return;
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The service was not ready within {timeout}:\n{Log}");
    }

    private async Task<bool> IsReadyAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri(BaseAddress, "/health/ready"));
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
        catch (TaskCanceledException)
        {
            return false; // still starting
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();

    [GeneratedRegex(@"the sandbox clearinghouse answers at (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex SandboxAnswersAt();

    /// <summary>samples/website as a static site on its own origin; the page is told where the service listens.</summary>
    private static WebApplication StartWebsite(WebsiteAddress address)
    {
        var folder = Path.Combine(RepositoryRoot(), "samples", "website");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/{file}", async (string file) =>
        {
            var path = Path.Combine(folder, Path.GetFileName(file));
            if (!File.Exists(path))
            {
                return Results.NotFound();
            }

            var text = await File.ReadAllTextAsync(path);
            var contentType = Path.GetExtension(path) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "application/octet-stream",
            };

            // The sample points at the documented default address; here the service listens on a free port.
            text = text.Replace("http://127.0.0.1:5080", address.Service!.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
            return Results.Text(text, contentType);
        });
        return app;
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root (with CoverageCheck.sln) was not found above the test output.");
    }

    private sealed class WebsiteAddress
    {
        public Uri? Service { get; set; }
    }
}
