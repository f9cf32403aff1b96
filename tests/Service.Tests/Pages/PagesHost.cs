using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// The real service as a browser meets it: the built service executable on Kestrel at a free 127.0.0.1 port, with
/// the built-in sandbox clearinghouse tuned like VerificationsHost (no latency, short retries) on a known port so its
/// faults can be switched, and the public website sample served from a second loopback origin that the service
/// allows by CORS. Running the built executable (rather than Kestrel under WebApplicationFactory) also proves the
/// static files, the content root and the start-up configuration checks as deployed.
/// </summary>
internal sealed class PagesHost : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private readonly WebApplication _website;
    private readonly Process _service;
    private readonly StringBuilder _log = new();

    private PagesHost(WebApplication website, Uri websiteOrigin, string dataDirectory)
    {
        _website = website;
        WebsiteOrigin = websiteOrigin;
        DataDirectory = dataDirectory;
        var port = FreePort();
        var sandboxPort = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        SandboxAddress = new Uri($"http://127.0.0.1:{sandboxPort}/");

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
        foreach (var argument in new[] { serviceDll, "--urls", BaseAddress.GetLeftPart(UriPartial.Authority), "--contentRoot", Path.Combine(root, "src", "Service") })
        {
            start.ArgumentList.Add(argument);
        }

        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Data__Directory"] = dataDirectory,
            ["Phi__Key"] = ServiceApplication.PhiKey,
            ["Sandbox__Port"] = sandboxPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sandbox__LatencyMs"] = "0",
            ["Sandbox__TimeoutDelayMs"] = "3000",
            ["Clearinghouse__RetryBaseDelay"] = "00:00:00.010",
            ["Clearinghouse__MaxRetryAttempts"] = "1",
            ["Clearinghouse__AttemptTimeout"] = "00:00:01",
            ["Clearinghouse__TotalTimeout"] = "00:00:03",
            ["Clearinghouse__MaxRetryAfter"] = "00:00:01",
            ["Verification__RetryBaseDelay"] = "00:00:00.500",
            ["Verification__RetryMaxDelay"] = "00:00:01",
            ["Verification__MaxAttempts"] = "50",
            ["Verification__PollInterval"] = "00:00:00.100",
            ["Verification__RealTimeBudget"] = "00:00:05",
            ["Verification__ReverifySchedule"] = "off",
            ["Website__AllowedOrigins__0"] = websiteOrigin.GetLeftPart(UriPartial.Authority),
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        _service = Process.Start(start) ?? throw new InvalidOperationException("The service process did not start.");
        _service.OutputDataReceived += (_, e) => Append(e.Data);
        _service.ErrorDataReceived += (_, e) => Append(e.Data);
        _service.BeginOutputReadLine();
        _service.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public Uri SandboxAddress { get; }

    public Uri WebsiteOrigin { get; }

    public string DataDirectory { get; }

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
        var dataDirectory = Path.Combine(Path.GetTempPath(), "coveragecheck-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var (website, address) = StartWebsite();
        await website.StartAsync();
        var origin = new Uri(website.Urls.Single());
        var host = new PagesHost(website, origin, dataDirectory);
        address.Service = host.BaseAddress;
        await host.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        return host;
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
        if (!_service.HasExited)
        {
            _service.Kill(entireProcessTree: true);
            await _service.WaitForExitAsync();
        }

        _service.Dispose();
        await _website.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still being released; the temp folder is cleaned by the OS.
        }
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

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_service.HasExited)
            {
                Assert.Fail($"The service exited with code {_service.ExitCode} before it was ready:\n{Log}");
            }

            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Still starting.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The service was not ready within {timeout}:\n{Log}");
    }

    /// <summary>samples/website as a static site on its own origin; the page is told where the service listens.</summary>
    private static (WebApplication App, WebsiteAddress Address) StartWebsite()
    {
        var folder = Path.Combine(RepositoryRoot(), "samples", "website");
        var address = new WebsiteAddress();
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
        return (app, address);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
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
