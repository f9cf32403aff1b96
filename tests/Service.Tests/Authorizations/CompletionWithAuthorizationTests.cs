using System.Net;
using System.Net.Http.Json;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Authorizations;

/// <summary>
/// Issue #17: a completion by phone re-estimates the verification with its authorisations and its contract, and an
/// authorisation recorded after a completion re-prices the completed benefits. The sandbox PPO member, a $50 copay a
/// day from the call and no deductible or coinsurance: 40 × $50 = $2,000; ten authorised days $500.
/// </summary>
internal sealed class CompletionWithAuthorizationTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private static object Call() => new
    {
        call = new { at = "2026-11-28T14:05:00Z", representative = "Maria", reference = "REF-1" },
        source = "phone",
        inNetwork = new { copayPerDay = 50m, coinsurancePercent = 0m, deductibleAppliesToService = false },
    };

    private async Task<string> VerifyAsync(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        return (string)(await VerificationsHost.ReadAsync(created))["id"]!;
    }

    [TestCase(true, TestName = "Authorisation first, then the call")]
    [TestCase(false, TestName = "The call first, then the authorisation")]
    public async Task The_split_uses_the_completed_benefits_whatever_the_order(bool authorizationFirst)
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var id = await VerifyAsync(client);

        async Task AuthorizeAsync()
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{id}/authorizations", AuthorizationsApiTests.Approved(number: "AUTH-" + authorizationFirst));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }

        async Task CompleteAsync()
        {
            using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{id}/completion", Call());
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        }

        if (authorizationFirst)
        {
            await AuthorizeAsync();
            await CompleteAsync();
        }
        else
        {
            await CompleteAsync();
            await AuthorizeAsync();
        }

        var body = (await client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/verifications/{id}"))!;
        Assert.That(body["estimate"]!["authorization"]!.ToJsonString(),
            Is.EqualTo("""{"sessionsAuthorized":10,"sessionsBeyond":30,"patientWithinAuthorization":500.00,"patientIfExtended":2000.00}"""));
    }
}
