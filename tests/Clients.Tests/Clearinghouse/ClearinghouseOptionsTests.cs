using CoverageCheck.Clients.Clearinghouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static CoverageCheck.Clients.Tests.Clearinghouse.ClearinghouseClientFactory;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>Bad settings stop start-up with one clear sentence each.</summary>
public sealed class ClearinghouseOptionsTests
{
    private static readonly Uri Remote = new("https://healthcare.us.stedi.com/2024-04-01/change");

    private static string[] Failures(Action<Dictionary<string, string?>> adjust, Func<IServiceProvider, CancellationToken, ValueTask<Uri>>? fallback = null)
    {
        var settings = FastSettings(Remote);
        adjust(settings);
        using var provider = Build(settings, fallback);
        try
        {
            _ = provider.GetRequiredService<IOptions<ClearinghouseOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return [.. ex.Failures];
        }
    }

    [Test]
    public void Good_settings_pass() => Assert.That(Failures(_ => { }), Is.Empty);

    [Test]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new ClearinghouseOptions();

        Assert.That(options.MaxConcurrency, Is.EqualTo(40));
        Assert.That(options.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(65)));
        Assert.That(options.TotalTimeout, Is.EqualTo(TimeSpan.FromSeconds(150)));
        Assert.That(options.CircuitBreaker.SamplingDuration, Is.GreaterThanOrEqualTo(2 * options.AttemptTimeout));
    }

    [Test]
    public void An_empty_BaseUrl_without_a_sandbox_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:BaseUrl"] = ""), Has.Some.Contains("Clearinghouse:BaseUrl is empty"));

    [Test]
    public void An_empty_BaseUrl_with_a_run_time_address_is_accepted() =>
        Assert.That(Failures(s => s["Clearinghouse:BaseUrl"] = "", (_, _) => new ValueTask<Uri>(new Uri("http://127.0.0.1:1/"))), Is.Empty);

    [Test]
    public void Plain_http_to_a_remote_host_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:BaseUrl"] = "http://clearinghouse.example.com/"), Has.Some.Contains("must use https"));

    [Test]
    public void An_NPI_with_a_bad_check_digit_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:Provider:Npi"] = "1999999985"), Has.Some.Contains("check digit"));

    [Test]
    public void A_missing_provider_name_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:Provider:OrganizationName"] = ""), Has.Some.Contains("OrganizationName"));

    [Test]
    public void An_attempt_timeout_not_shorter_than_the_total_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:AttemptTimeout"] = "00:00:10"), Has.Some.Contains("AttemptTimeout must be shorter"));

    [Test]
    public void MaxConcurrency_out_of_range_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:MaxConcurrency"] = "0"), Has.Some.Contains("MaxConcurrency"));

    [TestCase("1999999984", true)]
    [TestCase("1760854442", true)]
    [TestCase("1234567893", true)]
    [TestCase("1234567890", false)]
    [TestCase("123456789", false)]
    public void Npi_check_digit(string npi, bool valid) => Assert.That(Npi.HasValidCheckDigit(npi), Is.EqualTo(valid));
}
