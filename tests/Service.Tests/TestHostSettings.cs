using System.Diagnostics;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Hosting;

namespace CoverageCheck.Service.Tests;

/// <summary>
/// The one set of settings every test host of the service runs on, in memory (<see cref="ServiceApplication"/>) or as
/// a child process (<c>PagesHost</c>): a private data folder, the test PHI key and API keys, and fast settings (no
/// sandbox latency, short retry delays, no nightly re-verification). A host adds or replaces single keys with
/// <see cref="Set(string, string?)"/>; nothing else writes host settings.
/// </summary>
internal sealed class TestHostSettings
{
    /// <summary>A fixed PHI key (base64 of bytes 0..31) so test hosts never generate one; never use it outside tests.</summary>
    public const string PhiKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public TestHostSettings(string dataDirectory)
    {
        Set("Data:Directory", dataDirectory);
        Set("Phi:Key", PhiKey);

        // Auth:ApiKeys:0..3 are the test keys; a test that needs more keys should use indexes from 10.
        for (var i = 0; i < TestApiKeys.All.Count; i++)
        {
            var (role, key) = TestApiKeys.All[i];
            Set($"Auth:ApiKeys:{i}:Name", $"test-{role}");
            Set($"Auth:ApiKeys:{i}:KeyHash", ApiKeyRegistry.Hash(key));
            Set($"Auth:ApiKeys:{i}:Roles:0", role);
        }

        // The sandbox answers at once, and failures are retried within milliseconds, so a payer that is down ends in
        // needs-review within seconds: Verification:GiveUpAfter is 10 s here (24 h by default; issue #14 gives up by
        // time, not by count), and Verification:MaxAttempts keeps its default of 6.
        Set("Sandbox:LatencyMs", "0");
        Set("Clearinghouse:RetryBaseDelay", "00:00:00.010");
        Set("Clearinghouse:MaxRetryAttempts", "1");
        Set("Clearinghouse:MaxRetryAfter", "00:00:01");
        Set("Verification:RetryBaseDelay", "00:00:00.050");
        Set("Verification:RetryMaxDelay", "00:00:01");
        Set("Verification:GiveUpAfter", "00:00:10");
        Set("Verification:PollInterval", "00:00:00.050");
        Set("Verification:ReverifySchedule", "off");

        // Only the waits that end a call early stay generous: on a loaded 2-core machine an answer from the loopback
        // sandbox can take seconds, and a test that expects a real-time answer must not get 202 instead. No test
        // waits for these to run out (the sandbox's timeout fault is never switched on by the service tests).
        Set("Clearinghouse:AttemptTimeout", "00:00:10");
        Set("Clearinghouse:TotalTimeout", "00:00:25");
        Set("Sandbox:TimeoutDelayMs", "15000"); // the timeout fault still outlasts an attempt
        Set("Verification:RealTimeBudget", "00:00:15");
    }

    /// <summary>The host environment (<c>Testing</c>): not Development, so nothing is generated or relaxed.</summary>
    public string Environment { get; set; } = "Testing";

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Adds or replaces one setting (<c>Section:Key</c>); null removes it, so the service's own default applies.</summary>
    public TestHostSettings Set(string key, string? value)
    {
        if (value is null)
        {
            _values.Remove(key);
        }
        else
        {
            _values[key] = value;
        }

        return this;
    }

    public TestHostSettings Set(IEnumerable<KeyValuePair<string, string?>>? values)
    {
        foreach (var (key, value) in values ?? [])
        {
            Set(key, value);
        }

        return this;
    }

    /// <summary>For a host in this process.</summary>
    public void ApplyTo(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _values)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>For the service as a child process: environment variables (<c>Section__Key</c>), as deployed.</summary>
    public void ApplyTo(ProcessStartInfo start)
    {
        start.Environment["ASPNETCORE_ENVIRONMENT"] = Environment;
        foreach (var (key, value) in _values)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
    }
}

/// <summary>API keys every test host accepts (<see cref="TestHostSettings"/>), one per role; the caller's name is "test-{role}".</summary>
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
