using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>"Who may do what", over HTTP, against the real authentication handler and the named policies.</summary>
internal sealed class AuthorizationTests
{
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ServiceApplication
    {
        ConfigureHost = b => b.ConfigureServices(s => s.AddSingleton<IStartupFilter, PolicyProbe>()),
    };

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    // Rows of the table in http-api.md; admin may do everything; a wrong key is always 401.
    [TestCase(Policies.Estimates, null, HttpStatusCode.OK)]
    [TestCase(Policies.Estimates, TestApiKeys.Website, HttpStatusCode.OK)]
    [TestCase(Policies.Estimates, TestApiKeys.Admissions, HttpStatusCode.OK)]
    [TestCase(Policies.Estimates, TestApiKeys.Finance, HttpStatusCode.OK)]
    [TestCase(Policies.Estimates, TestApiKeys.Admin, HttpStatusCode.OK)]
    [TestCase(Policies.Estimates, "not-a-key", HttpStatusCode.Unauthorized)]
    [TestCase(Policies.VerificationsWrite, null, HttpStatusCode.Unauthorized)]
    [TestCase(Policies.VerificationsWrite, TestApiKeys.Website, HttpStatusCode.Forbidden)]
    [TestCase(Policies.VerificationsWrite, TestApiKeys.Admissions, HttpStatusCode.OK)]
    [TestCase(Policies.VerificationsWrite, TestApiKeys.Finance, HttpStatusCode.Forbidden)]
    [TestCase(Policies.VerificationsWrite, TestApiKeys.Admin, HttpStatusCode.OK)]
    [TestCase(Policies.VerificationsWrite, "not-a-key", HttpStatusCode.Unauthorized)]
    [TestCase(Policies.VerificationsRead, null, HttpStatusCode.Unauthorized)]
    [TestCase(Policies.VerificationsRead, TestApiKeys.Website, HttpStatusCode.Forbidden)]
    [TestCase(Policies.VerificationsRead, TestApiKeys.Admissions, HttpStatusCode.OK)]
    [TestCase(Policies.VerificationsRead, TestApiKeys.Finance, HttpStatusCode.OK)]
    [TestCase(Policies.VerificationsRead, TestApiKeys.Admin, HttpStatusCode.OK)]
    [TestCase(Policies.Eligibility271, null, HttpStatusCode.Unauthorized)]
    [TestCase(Policies.Eligibility271, TestApiKeys.Website, HttpStatusCode.Forbidden)]
    [TestCase(Policies.Eligibility271, TestApiKeys.Admissions, HttpStatusCode.OK)]
    [TestCase(Policies.Eligibility271, TestApiKeys.Finance, HttpStatusCode.OK)]
    [TestCase(Policies.Eligibility271, TestApiKeys.Admin, HttpStatusCode.OK)]
    [TestCase(Policies.Batches, null, HttpStatusCode.Unauthorized)]
    [TestCase(Policies.Batches, TestApiKeys.Website, HttpStatusCode.Forbidden)]
    [TestCase(Policies.Batches, TestApiKeys.Admissions, HttpStatusCode.Forbidden)]
    [TestCase(Policies.Batches, TestApiKeys.Finance, HttpStatusCode.OK)]
    [TestCase(Policies.Batches, TestApiKeys.Admin, HttpStatusCode.OK)]
    public async Task Policy_answers_per_the_table(string policy, string? apiKey, HttpStatusCode expected)
    {
        using var client = apiKey is null ? _app.CreateClient() : _app.CreateClient(apiKey);

        using var response = await client.GetAsync($"/policy-probe/{policy}");

        Assert.That(response.StatusCode, Is.EqualTo(expected));
        if (expected != HttpStatusCode.OK)
        {
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.That(problem.RootElement.GetProperty("status").GetInt32(), Is.EqualTo((int)expected));
        }
    }

    [Test]
    public async Task Whoami_names_the_key_and_its_roles()
    {
        using var client = _app.CreateClient(TestApiKeys.Finance);

        var caller = await client.GetFromJsonAsync<Caller>("/api/v1/auth/whoami");

        Assert.That(caller, Is.EqualTo(caller! with { Name = "test-finance" }));
        Assert.That(caller!.Roles, Is.EqualTo(new[] { Roles.Finance }));
    }

    [Test]
    public async Task Anonymous_whoami_is_401_problem_details_with_a_challenge()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/api/v1/auth/whoami");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey header=\"X-Api-Key\""));
    }

    [TestCase("")]
    [TestCase("test-admissions-key-0123456789abcdeF")] // one character off
    public async Task A_wrong_key_is_401_on_the_real_pipeline(string key)
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/whoami");
        request.Headers.TryAddWithoutValidation(ApiKeyAuthenticationHandler.HeaderName, key);

        using var response = await client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public void Hashes_are_lowercase_hex_sha256()
    {
        Assert.That(ApiKeyRegistry.Hash("abc"), Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    [TestCase("ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789", "KeyHash must be the lowercase hex SHA-256")]
    [TestCase("abc", "KeyHash must be the lowercase hex SHA-256")]
    public void A_misconfigured_key_hash_is_refused(string hash, string expected)
    {
        var options = new AuthOptions();
        options.ApiKeys.Add(new ApiKeyEntry { Name = "website", KeyHash = hash, Roles = { Roles.Website } });

        var result = new AuthOptionsCustomValidator().Validate(null, options);

        Assert.That(result.Failures, Has.Some.Contains(expected));
    }

    [Test]
    public void An_unknown_role_is_refused()
    {
        var options = new AuthOptions();
        options.ApiKeys.Add(new ApiKeyEntry { Name = "website", KeyHash = ApiKeyRegistry.Hash("k"), Roles = { "superuser" } });

        var result = new AuthOptionsCustomValidator().Validate(null, options);

        Assert.That(result.Failures, Is.EqualTo(new[] { "API key 'website': unknown role 'superuser' (known: admissions, finance, website, admin)." }));
    }

    /// <summary>One endpoint per policy, behind the service's own authentication, authorization and problem details.</summary>
    private sealed class PolicyProbe : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/policy-probe", branch =>
            {
                branch.UseStatusCodePages();
                branch.UseRouting();
                branch.UseAuthentication();
                branch.UseAuthorization();
                branch.UseEndpoints(endpoints =>
                {
                    foreach (var policy in new[] { Policies.Estimates, Policies.VerificationsWrite, Policies.VerificationsRead, Policies.Eligibility271, Policies.Batches })
                    {
                        endpoints.MapGet($"/{policy}", () => Results.Ok(policy)).RequireAuthorization(policy);
                    }
                });
            });
            next(app);
        };
    }
}
