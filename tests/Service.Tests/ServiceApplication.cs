using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace CoverageCheck.Service.Tests;

/// <summary>The real service pipeline in memory, on its embedded defaults, with a private data folder.</summary>
internal sealed class ServiceApplication : WebApplicationFactory<Program>
{
    /// <summary>A fixed PHI key (base64 of bytes 0..31) so test hosts never generate one; never use it outside tests.</summary>
    public const string PhiKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "coveragecheck-tests", Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataDirectory);
        builder.UseEnvironment("Testing");
        builder.UseSetting("Data:Directory", DataDirectory);
        builder.UseSetting("Phi:Key", PhiKey);
        // Auth:ApiKeys:0..3 are the test keys; a test that needs more keys should use indexes from 10.
        for (var i = 0; i < TestApiKeys.All.Count; i++)
        {
            var (role, key) = TestApiKeys.All[i];
            builder.UseSetting($"Auth:ApiKeys:{i}:Name", $"test-{role}");
            builder.UseSetting($"Auth:ApiKeys:{i}:KeyHash", ApiKeyRegistry.Hash(key));
            builder.UseSetting($"Auth:ApiKeys:{i}:Roles:0", role);
        }
    }

    /// <summary>A client that sends <c>X-Api-Key: <paramref name="apiKey"/></c> (see <see cref="TestApiKeys"/>).</summary>
    public HttpClient CreateClient(string apiKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}

/// <summary>API keys every <see cref="ServiceApplication"/> accepts, one per role; the caller's name is "test-{role}".</summary>
internal static class TestApiKeys
{
    public const string Admissions = "test-admissions-key-0123456789abcdef";
    public const string Finance = "test-finance-key-0123456789abcdef";
    public const string Website = "test-website-key-0123456789abcdef";
    public const string Admin = "test-admin-key-0123456789abcdef";

    public static IReadOnlyList<(string Role, string Key)> All { get; } =
    [
        (Roles.Admissions, Admissions),
        (Roles.Finance, Finance),
        (Roles.Website, Website),
        (Roles.Admin, Admin),
    ];
}
