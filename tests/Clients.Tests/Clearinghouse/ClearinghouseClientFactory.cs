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

    public static ServiceProvider Build(
        Dictionary<string, string?> settings,
        Func<IServiceProvider, CancellationToken, ValueTask<Uri>>? fallbackBaseAddress = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddClearinghouseClient(configuration, fallbackBaseAddress);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static EligibilityInquiry Inquiry(string payerId = "60054", string memberId = "W100000001", string? groupNumber = null, string controlNumber = "000000001") =>
        new(payerId, "Ava", "Ppsample", new DateOnly(1985, 4, 12), memberId, groupNumber, new DateOnly(2026, 12, 1), "AI", controlNumber);
}
