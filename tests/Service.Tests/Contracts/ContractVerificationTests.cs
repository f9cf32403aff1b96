using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Contracts;

/// <summary>
/// Issue #17 end to end: a verification against the sandbox (Aetna member W100000001, plan "Choice POS II", group
/// AET100, insurance type PR) reports the contract that matched, and its estimate uses the contract's network status
/// and allowed amount instead of the payer table's (Payers: Aetna in network, $450.00 a day).
/// </summary>
internal sealed class ContractVerificationTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    [TearDown]
    public async Task RemoveContracts()
    {
        using var finance = _host.Client(TestApiKeys.Finance);
        foreach (var contract in (await finance.GetFromJsonAsync<JsonArray>("/api/v1/contracts"))!)
        {
            using var _ = await finance.DeleteAsync($"/api/v1/contracts/{(string)contract!["id"]!}");
        }
    }

    private async Task PutAsync(string id, object contract)
    {
        using var finance = _host.Client(TestApiKeys.Finance);
        using var response = await finance.PutAsJsonAsync($"/api/v1/contracts/{id}", contract);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonObject> VerifyAsync()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        using var created = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var body = await VerificationsHost.ReadAsync(created);
        Assert.That((string?)body["status"], Is.EqualTo("completed"), body.ToJsonString());

        // What GET answers is what was stored.
        using var read = await client.GetAsync($"/api/v1/verifications/{body["id"]}");
        return await VerificationsHost.ReadAsync(read);
    }

    [Test]
    public async Task A_plan_name_contract_sets_the_allowed_amount_of_the_estimate()
    {
        await PutAsync("aetna-choice", new { payerId = "60054", match = new { planNameContains = "choice pos" }, network = "in", allowedPerDay = 321.00m, effectiveFrom = "2026-01-01" });

        var body = await VerifyAsync();
        var estimate = body["estimate"]!;

        Assert.Multiple(() =>
        {
            Assert.That(body["contract"]?.ToJsonString(), Is.EqualTo("""{"id":"aetna-choice","matchedOn":"planName"}"""));
            Assert.That((string?)body["network"], Is.EqualTo("in"));
            Assert.That((decimal?)estimate["pricing"]!["allowedPerDay"], Is.EqualTo(321.00m));
            // 40 sessions from 7 December 2026, all covered: 40 × 321.00.
            Assert.That((decimal?)estimate["totals"]!["allowed"], Is.EqualTo(12840.00m));
            Assert.That(body["assumptions"]!.AsArray().Select(a => (string?)a), Has.None.Contains("No payer contract"));
        });
    }

    [Test]
    public async Task A_group_number_contract_out_of_network_beats_the_plan_name_one_and_prices_a_percent_of_the_charge()
    {
        await PutAsync("aetna-choice", new { payerId = "60054", match = new { planNameContains = "Choice POS" }, network = "in", allowedPerDay = 321.00m, effectiveFrom = "2026-01-01" });
        await PutAsync("aet100-employer", new { payerId = "60054", match = new { groupNumbers = new[] { "AET100" } }, network = "out", outOfNetworkAllowed = new { percentOfCharge = 60 }, effectiveFrom = "2026-01-01" });

        var body = await VerifyAsync();
        var estimate = body["estimate"]!;

        Assert.Multiple(() =>
        {
            Assert.That(body["contract"]?.ToJsonString(), Is.EqualTo("""{"id":"aet100-employer","matchedOn":"groupNumber"}"""));
            Assert.That((string?)body["network"], Is.EqualTo("out"));
            // 60 % of the $450.00 charge is $270.00 allowed; out of network the patient also owes 450 − 270 = 180 a day.
            Assert.That((decimal?)estimate["pricing"]!["allowedPerDay"], Is.EqualTo(270.00m));
            Assert.That((decimal?)estimate["breakdown"]!["balanceBill"], Is.EqualTo(40 * 180.00m));
            Assert.That(estimate["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("out-of-network-balance-billing"));
        });
    }

    [Test]
    public async Task An_insurance_type_contract_matches_on_the_plans_EB04_code_read_from_the_answer()
    {
        await PutAsync("aetna-hmo", new { payerId = "60054", match = new { insuranceTypes = new[] { "HM" } }, network = "out", effectiveFrom = "2026-01-01" });
        await PutAsync("aetna-ppo-type", new { payerId = "60054", match = new { insuranceTypes = new[] { "PR", "PS" } }, network = "in", allowedPerDay = 333.00m, effectiveFrom = "2026-01-01" });

        var body = await VerifyAsync();

        Assert.That(body["contract"]?.ToJsonString(), Is.EqualTo("""{"id":"aetna-ppo-type","matchedOn":"insuranceType"}"""), "the sandbox PPO's status row says PR");
        Assert.That((decimal?)body["estimate"]!["pricing"]!["allowedPerDay"], Is.EqualTo(333.00m));
    }

    [Test]
    public async Task A_contract_not_yet_in_force_on_the_first_session_is_not_used_and_the_payer_default_is_stated()
    {
        // The program's first session is 7 December 2026; this contract begins on the 8th.
        await PutAsync("aetna-later", new { payerId = "60054", network = "out", allowedPerDay = 100.00m, effectiveFrom = "2026-12-08" });

        var body = await VerifyAsync();

        Assert.Multiple(() =>
        {
            Assert.That(body["contract"], Is.Null);
            Assert.That((string?)body["network"], Is.EqualTo("in"));
            Assert.That((decimal?)body["estimate"]!["pricing"]!["allowedPerDay"], Is.EqualTo(450.00m), "Payers:0:AllowedPerDay");
            Assert.That(body["assumptions"]!.AsArray().Select(a => (string?)a),
                Has.Some.EqualTo("No payer contract matches this plan: the estimate uses the payer-wide default (in network, 450.00 a day allowed)."));
        });
    }
}
