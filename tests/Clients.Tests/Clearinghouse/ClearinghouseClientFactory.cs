using CoverageCheck.Clients.Clearinghouse;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>The production registration (<c>AddClearinghouseClient</c>) in a plain service provider, with test-sized settings.</summary>
internal static class ClearinghouseClientFactory
{
    /// <summary>Short timeouts and back-off so the tests stay fast; each test overrides what it is about.</summary>
    public static Dictionary<string, string?> FastSettings(Uri? baseUrl) => new()
    {
        ["Clearinghouse:BaseUrl"] = baseUrl?.ToString(),
        ["Clearinghouse:Provider:OrganizationName"] = "Harbor Light Recovery IOP",
        ["Clearinghouse:Provider:Npi"] = "1999999984",
        ["Clearinghouse:MaxConcurrency"] = "40",
        ["Clearinghouse:AttemptTimeout"] = "00:00:02",
        ["Clearinghouse:TotalTimeout"] = "00:00:10",
        ["Clearinghouse:MaxRetryAttempts"] = "3",
        ["Clearinghouse:RetryBaseDelay"] = "00:00:00.010",
        ["Clearinghouse:MaxRetryAfter"] = "00:00:02",
        ["Clearinghouse:CircuitBreaker:FailureRatio"] = "0.5",
        ["Clearinghouse:CircuitBreaker:MinimumThroughput"] = "4",
        ["Clearinghouse:CircuitBreaker:SamplingDuration"] = "00:00:30",
        ["Clearinghouse:CircuitBreaker:BreakDuration"] = "00:00:30",
    };

    /// <summary>OAuth client credentials against <paramref name="server"/>'s token endpoint, with its credentials.</summary>
    public static void UseOAuth(Dictionary<string, string?> settings, ScriptedClearinghouse server, string style = "BasicAuthentication", string? scope = "eligibility hipaa")
    {
        settings["Clearinghouse:OAuth:TokenUrl"] = server.TokenUrl.ToString();
        settings["Clearinghouse:OAuth:ClientId"] = server.Tokens.ClientId;
        settings["Clearinghouse:OAuth:ClientSecret"] = server.Tokens.ClientSecret;
        settings["Clearinghouse:OAuth:Scope"] = scope;
        settings["Clearinghouse:OAuth:ClientCredentialStyle"] = style;
    }

    /// <param name="settings">The configuration.</param>
    /// <param name="fallbackBaseAddress">The run-time base address, as the Service passes for its sandbox.</param>
    /// <param name="configure">Registrations made before the client's (a FakeTimeProvider, a log sink): TryAdd leaves them.</param>
    public static ServiceProvider Build(
        Dictionary<string, string?> settings,
        Func<IServiceProvider, CancellationToken, ValueTask<Uri>>? fallbackBaseAddress = null,
        Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        configure?.Invoke(services);
        services.AddClearinghouseClient(configuration, fallbackBaseAddress);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static EligibilityInquiry Inquiry(string payerId = "60054", string memberId = "W100000001", string? groupNumber = null, string controlNumber = "000000001") =>
        new(payerId, "Ava", "Ppsample", new DateOnly(1985, 4, 12), memberId, groupNumber, new DateOnly(2026, 12, 1), "AI", controlNumber);
}
