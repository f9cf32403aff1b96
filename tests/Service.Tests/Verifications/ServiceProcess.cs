using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using CoverageCheck.Service.Tests.Pages;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// The built service executable as a child process on a 127.0.0.1 port (chosen by the OS and read back from its
/// console), on <see cref="TestHostSettings"/> passed as environment variables, as deployed. Several may share one data
/// folder, hence one database, like instances behind a load balancer. <see cref="KillAsync"/> is a SIGKILL: no shutdown
/// code runs.
/// </summary>
internal sealed partial class ServiceProcess : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private readonly Process _process;

    private ServiceProcess(Process process) => _process = process;

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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

    public static async Task<ServiceProcess> StartAsync(TestHostSettings settings, TimeSpan timeout)
    {
        settings.Set("Logging:LogLevel:Default", "Warning").Set("Logging:LogLevel:Microsoft.Hosting.Lifetime", "Information");
        var root = PagesHost.RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", "Service"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(root, "src", "Service", "bin", configuration, "net10.0", "CoverageCheck.Service.dll"),
                     "--urls", "http://127.0.0.1:0", "--contentRoot", Path.Combine(root, "src", "Service"),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        settings.ApplyTo(start);
        var service = new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException("The service process did not start."));
        service._process.OutputDataReceived += (_, e) => service.Append(e.Data);
        service._process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();
        try
        {
            await service.WaitUntilReadyAsync(timeout);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    public HttpClient Client(string apiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>SIGKILL, at once: the process gets no chance to release a lease or finish a write.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_log)
            {
                _log.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"The service exited with code {_process.ExitCode} before it was ready:\n{Log}");
            }

            if (BaseAddress is null && ListeningOn().Match(Log) is { Success: true } listening)
            {
                BaseAddress = new Uri(listening.Groups[1].Value + "/");
            }

            if (BaseAddress is not null)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(BaseAddress, "/health/ready"));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // still starting
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The service was not ready within {timeout}:\n{Log}");
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningOn();
}
