using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// #13: the Service takes the clearinghouse's answer already normalised through <see cref="IClearinghouseClient"/>. A
/// hand-written client stands in for another clearinghouse whose raw answer is neither v3 JSON nor X12: were the Service
/// parsing it, the verification would be unreadable; instead it stores and returns exactly the reading it was given.
/// </summary>
internal sealed class ClearinghouseBoundaryTests
{
    private const string OpaqueRawAnswer = "ANSWER/2 opaque bytes of another clearinghouse: not JSON, not X12";

    private static readonly NormalizedCoverage OtherClearinghouseCoverage = new(
        Active: true,
        PlanName: "BOUNDARY TEST PLAN",
        GroupNumber: "GRP-13",
        PlanBegin: null,
        PlanEnd: null,
        EligibilityBegin: null,
        EligibilityEnd: null,
        InNetwork: new BenefitTier(
            Deductible: new LevelAmounts(new Amounts(2468m, 1234.50m, 1233.50m), null),
            OutOfPocketMax: new LevelAmounts(new Amounts(7000m, 6100m, 900m), null),
            CopayPerDay: null,
            CoinsurancePercent: 30m,
            PriorAuthorizationRequired: false,
            VisitLimit: null),
        OutOfNetwork: null,
        CarveOut: null,
        ServiceTypeUsed: "AI");

    [Test]
    public async Task The_service_stores_the_coverage_the_client_normalised_and_parses_nothing_itself()
    {
        var clearinghouse = new StubClearinghouse(_ => Answer(new EligibilityReading(
            new PayerInfo("99999", "SECOND CLEARINGHOUSE PLAN"), OtherClearinghouseCoverage, [], ["said by the other clearinghouse"], [], [])));
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        await using var factory = WithClearinghouse(host, clearinghouse);
        using var client = Client(factory);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var body = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((string?)body["status"], Is.EqualTo("completed"));
        var inNetwork = body["coverage"]!["inNetwork"]!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)body["payer"]!["name"], Is.EqualTo("SECOND CLEARINGHOUSE PLAN"));
            Assert.That((string?)body["coverage"]!["planName"], Is.EqualTo("BOUNDARY TEST PLAN"));
            Assert.That((decimal?)inNetwork["deductible"]!["individual"]!["total"], Is.EqualTo(2468m));
            Assert.That((decimal?)inNetwork["deductible"]!["individual"]!["remaining"], Is.EqualTo(1234.50m));
            Assert.That((decimal?)inNetwork["coinsurancePercent"], Is.EqualTo(30m));
            Assert.That(body["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("said by the other clearinghouse"));
            Assert.That(body["estimate"], Is.Not.Null, "the estimate was made from the client's coverage");
        });

        var asked = clearinghouse.Inquiries.Single();
        Assert.That((asked.PayerId, asked.MemberId, asked.ServiceTypeCode), Is.EqualTo(("60054", "W100000001", "AI")));

        var stored = await StoredResultAsync(factory, (string)body["id"]!);
        Assert.That(stored.Coverage, Is.EqualTo(OtherClearinghouseCoverage));
        Assert.That(stored.RawAnswer, Is.EqualTo(OpaqueRawAnswer), "kept as received, for the encrypted audit copy");
    }

    [Test]
    public async Task A_benefit_mismatch_in_the_reading_makes_the_service_ask_again_for_the_plan()
    {
        var mismatch = new EligibilityReading(null, null, [AaaCodes.Create("53", null, "C", "Loop 2100C")], [], [], []);
        var planAnswer = new EligibilityReading(null, OtherClearinghouseCoverage with { ServiceTypeUsed = "30" }, [], [], [], []);
        var clearinghouse = new StubClearinghouse(inquiry => Answer(inquiry.ServiceTypeCode == "AI" ? mismatch : planAnswer));
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        await using var factory = WithClearinghouse(host, clearinghouse);
        using var client = Client(factory);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var body = await VerificationsHost.ReadAsync(response);

        Assert.That((string?)body["status"], Is.EqualTo("completed"));
        Assert.That(clearinghouse.Inquiries.Select(i => i.ServiceTypeCode), Is.EqualTo(new[] { "AI", "30" }));
        var stored = await StoredResultAsync(factory, (string)body["id"]!);
        Assert.That(stored.ServiceTypeAsked, Is.EqualTo("30"));
        Assert.That(stored.Coverage?.ServiceTypeUsed, Is.EqualTo("30"));
    }

    [Test]
    public async Task A_plan_ending_mid_program_raises_coverage_ends_and_prices_the_later_days_as_self_pay_issue_15()
    {
        var endsMidProgram = OtherClearinghouseCoverage with { PlanBegin = new DateOnly(2026, 1, 1), PlanEnd = new DateOnly(2026, 12, 15) };
        var renews = OtherClearinghouseCoverage with { PlanBegin = new DateOnly(2026, 1, 1), PlanEnd = new DateOnly(2026, 12, 31) };

        var ending = await EstimateFor(endsMidProgram);
        var renewing = await EstimateFor(renews);

        Assert.That(ending["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("coverage-ends"));
        Assert.That(renewing["warnings"]!.AsArray().Select(w => (string?)w), Does.Not.Contain("coverage-ends"), "a plan year that renews on 1 January is not the end of coverage");
        Assert.That((string?)ending["explanation"], Does.Contain("self-pay"));
        Assert.That((decimal)ending["totals"]!["payer"]!, Is.LessThan((decimal)renewing["totals"]!["payer"]!), "the sessions after 15 December are not the payer's");
    }

    [Test]
    public async Task Care_the_payer_says_is_not_covered_in_network_is_priced_as_self_pay_with_a_warning_issue_15()
    {
        var notCovered = OtherClearinghouseCoverage with { NonCovered = new NonCovered("AI", InNetwork: true, OutOfNetwork: false) };
        var notCoveredOutOfNetworkOnly = OtherClearinghouseCoverage with { NonCovered = new NonCovered("AI", InNetwork: false, OutOfNetwork: true) };

        var selfPayAnswer = await VerifiedFor(notCovered);
        var selfPay = selfPayAnswer["estimate"] ?? throw new AssertionException("No estimate was made.");
        var covered = await EstimateFor(notCoveredOutOfNetworkOnly);

        Assert.Multiple(() =>
        {
            Assert.That(selfPay["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("not-covered"));
            Assert.That((decimal)selfPay["totals"]!["payer"]!, Is.Zero, "the plan pays nothing for care it does not cover");
            Assert.That((decimal)selfPay["totals"]!["patient"]!, Is.GreaterThan(0m));
            Assert.That(selfPayAnswer["assumptions"]!.AsArray().Select(a => (string?)a), Has.Some.Contains("not covered in-network"));
            Assert.That(covered["warnings"]!.AsArray().Select(w => (string?)w), Does.Not.Contain("not-covered"), "the program is in network: an out-of-network exclusion does not apply");
            Assert.That((decimal)covered["totals"]!["payer"]!, Is.GreaterThan(0m));
        });
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> EstimateFor(NormalizedCoverage coverage) =>
        (await VerifiedFor(coverage))["estimate"] ?? throw new AssertionException("No estimate was made.");

    private static async Task<System.Text.Json.Nodes.JsonNode> VerifiedFor(NormalizedCoverage coverage)
    {
        var clearinghouse = new StubClearinghouse(_ => Answer(new EligibilityReading(new PayerInfo("60054", "AETNA"), coverage, [], [], [], [])));
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        await using var factory = WithClearinghouse(host, clearinghouse);
        using var client = Client(factory);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        return await VerificationsHost.ReadAsync(response);
    }

    private static ClearinghouseAnswer Answer(EligibilityReading reading) =>
        new(200, reading, OpaqueRawAnswer, TimeSpan.FromMilliseconds(5), 1);

    private static WebApplicationFactory<Program> WithClearinghouse(VerificationsHost host, IClearinghouseClient clearinghouse) =>
        host.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(clearinghouse)));

    private static HttpClient Client(WebApplicationFactory<Program> factory)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestApiKeys.Admissions);
        return client;
    }

    private static async Task<VerificationResult> StoredResultAsync(WebApplicationFactory<Program> factory, string id)
    {
        var record = await factory.Services.GetRequiredService<VerificationStore>()
            .GetAsync(Guid.Parse(id), new AccessContext("test-admissions", "admissions", "test"), CancellationToken.None);
        return VerificationJson.ReadResult(record?.ResultJson) ?? throw new AssertionException("No stored result.");
    }

    /// <summary>Another clearinghouse behind the same interface: answers already normalised, and records what it was asked.</summary>
    private sealed class StubClearinghouse(Func<EligibilityInquiry, ClearinghouseAnswer> answer) : IClearinghouseClient
    {
        private readonly ConcurrentQueue<EligibilityInquiry> _inquiries = new();

        public IReadOnlyList<EligibilityInquiry> Inquiries => [.. _inquiries];

        public Task<ClearinghouseAnswer> CheckEligibilityAsync(EligibilityInquiry inquiry, CancellationToken cancellationToken)
        {
            _inquiries.Enqueue(inquiry);
            return Task.FromResult(answer(inquiry));
        }
    }
}
