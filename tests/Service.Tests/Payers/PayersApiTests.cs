using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CoverageCheck.Service.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Payers;

/// <summary>
/// Issue #18, the PHI-free path: <c>GET /api/v1/payers</c> for the website's calculator, anonymous and cacheable, with
/// CORS for <c>Website:AllowedOrigins</c>, and presets checked at start-up.
/// </summary>
internal sealed class PayersApiTests
{
    private const string Url = "/api/v1/payers";
    private const string AllowedOrigin = "https://www.example-iop.org";
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ServiceApplication(new Dictionary<string, string?> { ["Website:AllowedOrigins:0"] = AllowedOrigin });

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [Test]
    public async Task Anonymous_callers_get_every_payer_with_network_and_typical_presets()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(Url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var payers = json.RootElement.EnumerateArray().ToList();
        Assert.That(payers.Select(p => p.GetProperty("id").GetString()), Does.Contain("60054").And.Contain("87726").And.Contain("00710"));

        var aetna = payers.Single(p => p.GetProperty("id").GetString() == "60054");
        Assert.That(aetna.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "id", "name", "network", "presets" }));
        Assert.That(aetna.GetProperty("name").GetString(), Is.EqualTo("AETNA"));
        Assert.That(aetna.GetProperty("network").GetString(), Is.EqualTo("in"));
        var ppo = aetna.GetProperty("presets").EnumerateArray().First();
        Assert.That(ppo.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "name", "deductible", "coinsurancePercent", "copayPerDay", "outOfPocketMax" }));
        Assert.That(ppo.GetProperty("name").GetString(), Does.StartWith("Typical"), "a preset is labelled as typical");
        Assert.That(ppo.GetProperty("deductible").GetDecimal(), Is.EqualTo(1500.00m));
        Assert.That(ppo.GetProperty("coinsurancePercent").GetDecimal(), Is.EqualTo(20m));
        Assert.That(ppo.GetProperty("outOfPocketMax").GetDecimal(), Is.EqualTo(6000.00m));

        var united = payers.Single(p => p.GetProperty("id").GetString() == "87726");
        Assert.That(united.GetProperty("network").GetString(), Is.EqualTo("out"));
        var sandbox = payers.Single(p => p.GetProperty("id").GetString() == "00710");
        Assert.That(sandbox.GetProperty("presets").GetArrayLength(), Is.Zero, "no presets configured: an empty list, never null");
        Assert.That(json.RootElement.ToString(), Does.Not.Contain("allowedPerDay"), "contracted rates are not published");
    }

    [Test]
    public async Task The_list_is_publicly_cacheable_with_an_etag_and_answers_304_when_unchanged()
    {
        using var client = _app.CreateClient();

        using var first = await client.GetAsync(Url);
        var cache = first.Headers.CacheControl;
        Assert.That(cache?.Public, Is.True);
        Assert.That(cache?.NoStore, Is.False);
        Assert.That(cache?.MaxAge, Is.GreaterThan(TimeSpan.Zero));
        var etag = first.Headers.ETag;
        Assert.That(etag, Is.Not.Null);

        using var again = new HttpRequestMessage(HttpMethod.Get, Url);
        again.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await client.SendAsync(again);
        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(await notModified.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(notModified.Headers.ETag, Is.EqualTo(etag));

        using var stale = new HttpRequestMessage(HttpMethod.Get, Url);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"0123456789abcdef\""));
        using var changed = await client.SendAsync(stale);
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), "another tag gets the list");
    }

    [Test]
    public async Task A_different_table_has_a_different_etag()
    {
        using var other = new ServiceApplication(new Dictionary<string, string?> { ["Payers:0:Presets:0:Deductible"] = "1600.00" });
        using var client = _app.CreateClient();
        using var otherClient = other.CreateClient();

        using var mine = await client.GetAsync(Url);
        using var theirs = await otherClient.GetAsync(Url);

        Assert.That(theirs.Headers.ETag, Is.Not.EqualTo(mine.Headers.ETag));
    }

    [Test]
    public async Task An_allowed_origin_may_read_the_list()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { AllowedOrigin }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), Does.Contain("ETag").IgnoreCase);
        Assert.That(string.Join(",", response.Headers.Vary), Does.Contain("Origin"), "a shared cache keeps one answer per origin");
    }

    [Test]
    public async Task Another_origin_is_refused_by_the_browser()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.Add("Origin", "https://evil.example.com");
        using var preflight = new HttpRequestMessage(HttpMethod.Options, Url);
        preflight.Headers.Add("Origin", "https://evil.example.com");
        preflight.Headers.Add("Access-Control-Request-Method", "GET");

        using var response = await client.SendAsync(request);
        using var preflightResponse = await client.SendAsync(preflight);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
        Assert.That(preflightResponse.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task A_wrong_key_is_refused_rather_than_treated_as_anonymous()
    {
        using var client = _app.CreateClient("not-a-key");

        using var response = await client.GetAsync(Url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase("Payers:0:Presets:0:CoinsurancePercent", "120", "Payers[0].Presets[0].CoinsurancePercent must be between 0 and 100")]
    [TestCase("Payers:0:Presets:0:Deductible", "-1", "Payers[0].Presets[0].Deductible must be between 0 and 100000")]
    [TestCase("Payers:0:Presets:0:Deductible", "1500.005", "Payers:0:Presets:0:Deductible must be in whole cents")]
    [TestCase("Payers:0:Presets:0:Deductible", "7000", "Payers:0:Presets:0:Deductible must not be greater than Payers:0:Presets:0:OutOfPocketMax")]
    [TestCase("Payers:0:Presets:1:Name", "typical ppo", "Payers:0:Presets:1:Name repeats another preset of payer 60054")]
    [TestCase("Payers:0:Presets:0:Name", "", "Payers[0].Presets[0].Name")]
    [TestCase("Payers:0:Presets:2:Name", "Typical EPO", "Payers[0].Presets[2].Deductible")]
    public void A_bad_preset_stops_the_service_at_start_up(string key, string value, string expected)
    {
        var failures = StartUpFailures(new Dictionary<string, string?> { [key] = value });

        Assert.That(failures, Has.Some.Contains(expected));
    }

    [Test]
    public void The_shipped_presets_are_valid() => Assert.That(StartUpFailures([]), Is.Empty);

    private static string[] StartUpFailures(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = Path.GetDirectoryName(typeof(PayerDirectory).Assembly.Location),
        });
        builder.Configuration.AddJsonFile("appsettings.json", optional: false);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddPayerDirectory(builder.Configuration);
        using var app = builder.Build();
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(inner => inner.Failures)];
        }
    }
}
