using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests;

/// <summary>
/// The real service pipeline in memory, on <see cref="TestHostSettings"/> with a data folder of its own and the
/// <see cref="TestClock"/>. Each instance is a separate host: a test that needs other settings makes its own
/// (<c>new ServiceApplication(settings)</c>) rather than deriving one that would share this one's database.
/// </summary>
internal sealed class ServiceApplication : WebApplicationFactory<Program>
{
    private readonly TempFolder? _ownedFolder;

    /// <param name="settings">Settings added to, or replacing, the <see cref="TestHostSettings"/>.</param>
    /// <param name="dataFolder">The data folder, when the caller keeps it beyond this host; otherwise the host makes one and deletes it on dispose.</param>
    public ServiceApplication(IDictionary<string, string?>? settings = null, TempFolder? dataFolder = null)
    {
        _ownedFolder = dataFolder is null ? new TempFolder("service") : null;
        DataDirectory = (dataFolder ?? _ownedFolder!).Path;
        Settings = new TestHostSettings(DataDirectory).Set(settings);
    }

    /// <summary>What the host starts with; may be changed until the host is first used.</summary>
    public TestHostSettings Settings { get; }

    public string DataDirectory { get; }

    /// <summary>The host's <see cref="TimeProvider"/>; a <c>FakeTimeProvider</c> here lets a test step time by hand.</summary>
    public TimeProvider Clock { get; init; } = new TestClock();

    /// <summary>More host configuration (services, logging, environment), applied after the settings.</summary>
    public Action<IWebHostBuilder>? ConfigureHost { get; init; }

    /// <summary>A client that sends <c>X-Api-Key: <paramref name="apiKey"/></c> (see <see cref="TestApiKeys"/>).</summary>
    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Settings.ApplyTo(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(Clock));
        ConfigureHost?.Invoke(builder);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _ownedFolder?.Dispose();
        }
    }
}
