using System.Net.Http.Json;
using System.Text.Json;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Sandbox;

namespace CoverageCheck.Clients.Tests.Sandbox;

/// <summary>
/// What the sandbox answers is what a normaliser can read: each member's JSON and its X12 twin land on the same
/// normalised coverage, and that coverage says what docs/sandbox.md promises for the member.
/// </summary>
public sealed class SandboxNormaliserTests
{
    private SandboxHost _sandbox = null!;
    private HttpClient _http = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { LatencyMs = 0, SlowLatencyMs = 0 }, CancellationToken.None);
        _http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private static IEnumerable<string> AnsweringMembers() =>
        SandboxCatalogue.Members.Where(m => m.Behaviour is SandboxBehaviour.Normal or SandboxBehaviour.Slow).Select(m => m.MemberId);

    private async Task<(EligibilityReading Json, EligibilityReading X12)> Read(string memberId)
    {
        var member = SandboxCatalogue.Members.Single(m => m.MemberId == memberId);
        using var response = await _http.PostAsJsonAsync("medicalnetwork/eligibility/v3", new
        {
            controlNumber = "000000777",
            tradingPartnerServiceId = member.PayerId,
            provider = new { organizationName = "Harbor Light Recovery IOP", npi = "1999999984" },
            subscriber = new { memberId = member.MemberId, firstName = member.FirstName, lastName = member.LastName, dateOfBirth = member.DateOfBirth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) },
            encounter = new { serviceTypeCodes = new[] { "AI" }, dateOfService = "20261201" },
        });
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        return (CoverageNormalizer.FromClearinghouseJson(body), CoverageNormalizer.FromX12(json.RootElement.GetProperty("x12").GetString()));
    }

    [TestCaseSource(nameof(AnsweringMembers))]
    public async Task The_JSON_and_its_X12_twin_normalise_to_the_same_coverage(string memberId)
    {
        var (json, x12) = await Read(memberId);

        Assert.That(json.IsReadable, Is.True, string.Join("; ", json.InputErrors));
        Assert.That(x12.IsReadable, Is.True, string.Join("; ", x12.InputErrors));
        Assert.That(x12.Warnings, Is.EqualTo(json.Warnings), "the twin is a well-formed interchange: no warning beyond those the content raises in both (non-covered, other coverage)");
        Assert.That(json.Coverage, Is.Not.Null);
        Assert.That(x12.Coverage, Is.EqualTo(json.Coverage));
    }

    [Test]
    public async Task A_raw_270_is_answered_with_the_271_the_JSON_endpoint_carries()
    {
        var member = SandboxCatalogue.Members.Single(m => m.MemberId == "W100000004");
        var inquiry = new EligibilityInquiry(member.PayerId, member.FirstName, member.LastName, member.DateOfBirth, member.MemberId,
            member.GroupNumber, new DateOnly(2026, 12, 1), "AI", "000000777");
        var x270 = CoverageCheck.Clients.X12.X270Builder.Build(inquiry, new InquiringProvider("Harbor Light Recovery IOP", "1999999984"),
            new CoverageCheck.Clients.X12.X12Parties("HARBORLIGHT", "SANDBOXCH"), new DateTimeOffset(2026, 11, 28, 9, 30, 0, TimeSpan.Zero));

        using var response = await _http.PostAsync("x12/270", new StringContent(x270, System.Text.Encoding.ASCII, "text/plain"));
        var x271 = await response.Content.ReadAsStringAsync();
        var fromX12 = CoverageNormalizer.FromX12(x271);

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        Assert.That(x271, Does.StartWith("ISA*").And.Contain("ST*271*"));
        Assert.That(fromX12.Coverage, Is.EqualTo((await Read(member.MemberId)).Json.Coverage));
    }

    [Test]
    public async Task Something_that_is_not_a_270_is_a_400()
    {
        using var response = await _http.PostAsync("x12/270", new StringContent("hello", System.Text.Encoding.ASCII, "text/plain"));

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task The_PPO_member_reads_as_documented()
    {
        var coverage = (await Read("W100000001")).Json.Coverage!;

        Assert.That(coverage.Active, Is.True);
        Assert.That(coverage.ServiceTypeUsed, Is.EqualTo("AI"));
        Assert.That(coverage.InNetwork!.Deductible!.Individual, Is.EqualTo(new Amounts(1500m, 1300m, 200m)));
        Assert.That(coverage.InNetwork.OutOfPocketMax!.Individual!.Remaining, Is.EqualTo(5100m));
        Assert.That(coverage.InNetwork.CoinsurancePercent, Is.EqualTo(20m));
        Assert.That(coverage.InNetwork.PriorAuthorizationRequired, Is.True);
        Assert.That(coverage.OutOfNetwork!.CoinsurancePercent, Is.EqualTo(50m));
        Assert.That(coverage.PlanBegin, Is.EqualTo(new DateOnly(2026, 1, 1)));
    }

    [Test]
    public async Task The_copay_only_HMO_reads_as_a_25_dollar_copay()
    {
        var coverage = (await Read("K200000001")).Json.Coverage!;

        Assert.That(coverage.InNetwork!.CopayPerDay, Is.EqualTo(25m));
        Assert.That(coverage.InNetwork.CoinsurancePercent, Is.EqualTo(0m));
    }

    [TestCase("eligibility-end", "2026-12-31", "2026-12-22", TestName = "Coverage_ending_by_an_eligibility_end_DTP_357_reads_as_ending_mid_program_issue_15")]
    [TestCase("plan-end", "2026-12-22", null, TestName = "Coverage_ending_by_a_plan_end_DTP_347_reads_as_ending_mid_program_issue_15")]
    [TestCase("plan-range", "2026-12-22", null, TestName = "Coverage_ending_by_a_plan_range_DTP_291_reads_as_ending_mid_program_issue_15")]
    public async Task The_member_whose_coverage_ends_mid_program_reads_the_end_however_it_is_stated(string statedAs, string planEnd, string? eligibilityEnd)
    {
        using var update = await _http.PutAsJsonAsync("sandbox/members/W100000020", new { endStatedAs = statedAs });
        try
        {
            Assert.That(update.IsSuccessStatusCode, Is.True, await update.Content.ReadAsStringAsync());
            var (json, x12) = await Read("W100000020");

            Assert.Multiple(() =>
            {
                // Asked for 1 December 2026: the member's coverage stops 21 days later, inside any IOP programme.
                Assert.That(json.Coverage!.Active, Is.True);
                Assert.That(json.Coverage.PlanEnd, Is.EqualTo(DateOnly.Parse(planEnd, System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(json.Coverage.EligibilityEnd, Is.EqualTo(eligibilityEnd is null ? null : DateOnly.Parse(eligibilityEnd, System.Globalization.CultureInfo.InvariantCulture)));
                Assert.That(json.Coverage.CoverageEnds, Is.EqualTo(new DateOnly(2026, 12, 22)));
                Assert.That(x12.Coverage, Is.EqualTo(json.Coverage), "the X12 twin states the same end with its own DTP qualifier");
            });
        }
        finally
        {
            using var reset = await _http.PutAsJsonAsync("sandbox/members/W100000020", new { endStatedAs = "eligibility-end" });
        }
    }

    [Test]
    public async Task An_unknown_way_of_stating_the_end_is_a_400_naming_the_choices()
    {
        using var response = await _http.PutAsJsonAsync("sandbox/members/W100000020", new { endStatedAs = "DTP*999" });

        Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.BadRequest));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("eligibility-end"));
    }

    [Test]
    public async Task The_terminated_member_reads_as_inactive()
    {
        var coverage = (await Read("W100000009")).Json.Coverage!;

        Assert.That(coverage.Active, Is.False);
    }

    [Test]
    public async Task The_carve_out_to_ACME_gives_the_members_ID_there_in_JSON_and_X12_issue_16()
    {
        var (json, x12) = await Read("U300000077");

        Assert.That(json.Coverage!.CarveOut, Is.EqualTo(new CarveOut("ACME BEHAVIORAL HEALTH", "8005550177", "AI",
            "Please contact your Behavioral Health Program Administrator @ 800-555-0177", "C400000002")).Using<CarveOut>((a, b) =>
            a.Name == b.Name && a.EntityId == b.EntityId && a.ServiceType == b.ServiceType));
        Assert.That(x12.Coverage!.CarveOut!.EntityId, Is.EqualTo("C400000002"), "2120C NM1*VN … NM108 MI, NM109");
    }

    [Test]
    public async Task The_carve_out_member_reads_as_a_carve_out_with_name_and_phone()
    {
        var carveOut = (await Read("C400000001")).Json.Coverage!.CarveOut;

        Assert.That(carveOut, Is.Not.Null);
        Assert.That(carveOut!.Name, Is.EqualTo("EXAMPLE BEHAVIORAL HEALTH ADMINISTRATOR"));
        Assert.That(carveOut.Phone, Does.Contain("8005551234").Or.Contain("800-555-1234"));
    }

    [Test]
    public async Task The_visit_limited_member_reads_with_6_of_30_visits_left()
    {
        var coverage = (await Read("W100000005")).Json.Coverage!;

        Assert.That(coverage.InNetwork!.VisitLimit!.Total, Is.EqualTo(30));
        Assert.That(coverage.InNetwork.VisitLimit.Remaining, Is.EqualTo(6));
    }

    [Test]
    public async Task The_family_member_reads_family_remainders()
    {
        var deductible = (await Read("W100000004")).Json.Coverage!.InNetwork!.Deductible!;

        Assert.That(deductible.Family, Is.EqualTo(new Amounts(3000m, 900m, 2100m)));
        Assert.That(deductible.Individual!.Remaining, Is.EqualTo(1500m));
    }

    [Test]
    public async Task The_payer_down_member_reads_as_a_retryable_rejection()
    {
        var member = SandboxCatalogue.Members.Single(m => m.Behaviour == SandboxBehaviour.PayerUnavailable);
        var (json, x12) = await Read(member.MemberId);

        Assert.That(json.IsRetryable, Is.True);
        Assert.That(json.Errors.Select(e => e.Code), Is.EqualTo(new[] { "42" }));
        Assert.That(x12.Errors.Select(e => e.Code), Is.EqualTo(new[] { "42" }));
    }
}
