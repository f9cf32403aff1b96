using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Estimates;

/// <summary>Rate limiting of anonymous callers, and CORS for the website's origins, through the real pipeline.</summary>
internal sealed class EstimatesAccessTests
{
    private const string Url = "/api/v1/estimates";
    private const string AllowedOrigin = "https://www.example-iop.org";
    private ServiceApplication _app = null!;
    private ServiceApplication _limited = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new ServiceApplication();
        _limited = new ServiceApplication(new Dictionary<string, string?>
        {
            ["Website:AnonymousRateLimit"] = "2",
            ["Website:AllowedOrigins:0"] = AllowedOrigin,
        });
    }

    [OneTimeTearDown]
    public void Stop()
    {
        _limited.Dispose();
        _app.Dispose();
    }

    [Test]
    public async Task Anonymous_callers_beyond_the_limit_get_429_problem_details_with_retry_after()
    {
        // A fresh host: its limiter's window starts now, whatever other tests did.
        using var app = new ServiceApplication(new Dictionary<string, string?> { ["Website:AnonymousRateLimit"] = "2" });
        using var client = app.CreateClient();

        using var first = await PostAsync(client);
        using var second = await PostAsync(client);
        using var third = await PostAsync(client);

        Assert.That((first.StatusCode, second.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(third.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(third.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(third.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        using var problem = JsonDocument.Parse(await third.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo(429));
    }

    [Test]
    public async Task Callers_with_an_api_key_are_not_limited()
    {
        using var app = new ServiceApplication(new Dictionary<string, string?> { ["Website:AnonymousRateLimit"] = "1" });
        using var client = app.CreateClient(TestApiKeys.Website);

        for (var i = 0; i < 5; i++)
        {
            using var response = await PostAsync(client);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"request {i + 1}");
        }
    }

    [Test]
    public async Task A_wrong_key_is_refused_rather_than_treated_as_anonymous()
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "not-a-key");

        using var response = await PostAsync(client);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Preflight_from_an_allowed_origin_is_allowed()
    {
        using var client = _limited.CreateClient();
        using var preflight = Preflight(AllowedOrigin);

        using var response = await client.SendAsync(preflight);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(response.Headers.GetValues("Access-Control-Allow-Origin"), Is.EqualTo(new[] { AllowedOrigin }));
        Assert.That(string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), Does.Contain("POST"));
    }

    [Test]
    public async Task Preflight_from_another_origin_is_not_allowed()
    {
        using var client = _limited.CreateClient();
        using var preflight = Preflight("https://evil.example.com");

        using var response = await client.SendAsync(preflight);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task Cors_applies_to_the_estimates_endpoint_only()
    {
        using var client = _limited.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("Origin", AllowedOrigin);

        using var response = await client.SendAsync(request);

        Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, Url);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Behind_a_trusted_proxy_each_client_address_has_its_own_limit(bool trusted)
    {
        // Real Kestrel: the proxy is this test's loopback connection, and it forwards two different clients.
        using var app = new ServiceApplication(new Dictionary<string, string?>
        {
            ["Website:AnonymousRateLimit"] = "2",
            ["ForwardedHeaders:TrustedProxies:0"] = trusted ? "127.0.0.0/8" : null,
        });
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();

        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            first.Add(await PostFromAsync(client, "203.0.113.10"));
        }

        var other = await PostFromAsync(client, "203.0.113.20");

        Assert.That(first, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.That(other, Is.EqualTo(trusted ? HttpStatusCode.OK : HttpStatusCode.TooManyRequests),
            trusted ? "a second client behind the trusted proxy has its own limit" : "an untrusted X-Forwarded-For is ignored");
    }

    [TestCase("proxy.internal", false)]
    [TestCase("10.0.0.5", true)]
    [TestCase("10.0.0.0/8", true)]
    [TestCase("fd00::/8", true)]
    public void A_trusted_proxy_must_be_an_address_or_a_network(string entry, bool valid)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["ForwardedHeaders:TrustedProxies:0"] = entry;
        builder.AddForwardedHeaders();
        using var app = builder.Build();

        var validate = () => app.Services.GetRequiredService<IStartupValidator>().Validate();

        Assert.That(validate, valid ? Throws.Nothing : Throws.Exception.With.Message.Contains("ForwardedHeaders:TrustedProxies entries must be IP addresses"));
    }

    private static async Task<HttpStatusCode> PostFromAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = JsonContent.Create(EstimateCases.Load("S01-copay-only")["request"]) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client) =>
        client.PostAsJsonAsync(Url, EstimateCases.Load("S01-copay-only")["request"]);
}
