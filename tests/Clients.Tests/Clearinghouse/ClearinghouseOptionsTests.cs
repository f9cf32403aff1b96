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

    private static void OAuth(Dictionary<string, string?> s, string? tokenUrl = "https://auth.clearinghouse.example.com/oauth/token", string? clientId = "cc-client-7f3a91", string? secret = "s3cr3t-value")
    {
        s["Clearinghouse:OAuth:TokenUrl"] = tokenUrl;
        s["Clearinghouse:OAuth:ClientId"] = clientId;
        s["Clearinghouse:OAuth:ClientSecret"] = secret;
    }

    [Test]
    public void Complete_OAuth_settings_pass_and_bind()
    {
        var settings = FastSettings(Remote);
        OAuth(settings);
        settings["Clearinghouse:OAuth:Scope"] = "eligibility";
        settings["Clearinghouse:OAuth:ClientCredentialStyle"] = "PostBody";
        using var provider = Build(settings);

        var oauth = provider.GetRequiredService<IOptions<ClearinghouseOptions>>().Value.OAuth;

        Assert.That(oauth.IsConfigured, Is.True);
        Assert.That(oauth.TokenUrl, Is.EqualTo(new Uri("https://auth.clearinghouse.example.com/oauth/token")));
        Assert.That(oauth.ClientCredentialStyle, Is.EqualTo(ClearinghouseClientCredentialStyle.PostBody));
        Assert.That(oauth.Timeout, Is.EqualTo(TimeSpan.FromSeconds(20)));
    }

    [Test]
    public void Basic_authentication_is_the_default_client_credential_style() =>
        Assert.That(new ClearinghouseOAuthOptions().ClientCredentialStyle, Is.EqualTo(ClearinghouseClientCredentialStyle.BasicAuthentication));

    [Test]
    public void Empty_OAuth_keys_mean_no_OAuth() =>
        Assert.That(Failures(s => { OAuth(s, "", "", ""); s["Clearinghouse:OAuth:Scope"] = ""; s["Clearinghouse:ApiKey"] = "test_sk_1"; }), Is.Empty);

    [Test]
    public void A_loopback_http_token_url_is_accepted() =>
        Assert.That(Failures(s => OAuth(s, tokenUrl: "http://127.0.0.1:5001/oauth2/token")), Is.Empty);

    [TestCase(null, "cc-client-7f3a91", "s3cr3t-value", "TokenUrl missing")]
    [TestCase("https://auth.clearinghouse.example.com/oauth/token", null, "s3cr3t-value", "ClientId missing")]
    [TestCase("https://auth.clearinghouse.example.com/oauth/token", "cc-client-7f3a91", "", "ClientSecret missing")]
    [TestCase(null, "cc-client-7f3a91", null, "TokenUrl, ClientSecret missing")]
    public void OAuth_settings_come_all_together_or_not_at_all(string? tokenUrl, string? clientId, string? secret, string missing)
    {
        var failures = Failures(s => OAuth(s, tokenUrl, clientId, secret));

        Assert.That(failures, Is.EqualTo(new[] { $"Clearinghouse:OAuth needs TokenUrl, ClientId and ClientSecret together, or none of them: {missing}." }));
    }

    [Test]
    public void A_scope_alone_is_refused() =>
        Assert.That(Failures(s => s["Clearinghouse:OAuth:Scope"] = "eligibility"), Has.Some.Contains("TokenUrl, ClientId, ClientSecret missing"));

    [Test]
    public void OAuth_and_an_API_key_together_are_refused() =>
        Assert.That(Failures(s => { OAuth(s); s["Clearinghouse:ApiKey"] = "test_sk_1"; }),
            Is.EqualTo(new[] { "Clearinghouse:ApiKey and Clearinghouse:OAuth are mutually exclusive: set one of them." }));

    [Test]
    public void A_plain_http_token_url_to_a_remote_host_is_refused() =>
        Assert.That(Failures(s => OAuth(s, tokenUrl: "http://auth.clearinghouse.example.com/oauth/token")), Has.Some.Contains("Clearinghouse:OAuth:TokenUrl must use https"));

    [Test]
    public void A_relative_token_url_gets_one_sentence() =>
        Assert.That(Failures(s => OAuth(s, tokenUrl: "oauth/token")),
            Is.EqualTo(new[] { "Clearinghouse:OAuth:TokenUrl must be an absolute http(s) address." }));

    [Test]
    public void A_relative_token_url_alone_is_not_taken_for_no_OAuth() =>
        Assert.That(Failures(s => s["Clearinghouse:OAuth:TokenUrl"] = "oauth/token"), Is.EqualTo(new[]
        {
            "Clearinghouse:OAuth needs TokenUrl, ClientId and ClientSecret together, or none of them: ClientId, ClientSecret missing.",
            "Clearinghouse:OAuth:TokenUrl must be an absolute http(s) address.",
        }));

    [TestCase("Clearinghouse:OAuth:ClientSecret")]
    [TestCase("Clearinghouse:OAuth:ClientId")]
    [TestCase("Clearinghouse:OAuth:Scope")]
    public void OAuth_values_must_be_single_lines_and_the_sentence_does_not_echo_them(string key)
    {
        var failures = Failures(s => { OAuth(s); s[key] = "first-line\nsecond-line"; });

        Assert.That(failures, Is.EqualTo(new[] { $"{key} must be a single line." }));
    }

    [Test]
    public void A_token_timeout_out_of_range_is_refused() =>
        Assert.That(Failures(s => { OAuth(s); s["Clearinghouse:OAuth:Timeout"] = "00:10:00"; }), Has.Some.Contains("Timeout"));

    [TestCase("1999999984", true)]
    [TestCase("1760854442", true)]
    [TestCase("1234567893", true)]
    [TestCase("1234567890", false)]
    [TestCase("123456789", false)]
    public void Npi_check_digit(string npi, bool valid) => Assert.That(Npi.HasValidCheckDigit(npi), Is.EqualTo(valid));
}
