using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.Tests.Clearinghouse;
using CoverageCheck.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Clients.Tests.Sandbox;

/// <summary>The sandbox clearinghouse, asked through the production client and pipeline over loopback HTTP.</summary>
public sealed class SandboxClearinghouseTests
{
    private static readonly DateOnly DateOfService = new(2026, 12, 1);

    private SandboxHost _sandbox = null!;
    private ServiceProvider _services = null!;
    private IClearinghouseClient _client = null!;
    private HttpClient _http = null!;
    private int _control;

    [SetUp]
    public async Task Start()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { LatencyMs = 0, SlowLatencyMs = 300 }, CancellationToken.None);
        _services = ClearinghouseClientFactory.Build(
            ClearinghouseClientFactory.FastSettings(baseUrl: null),
            (_, _) => new ValueTask<Uri>(_sandbox.BaseAddress));
        _client = _services.GetRequiredService<IClearinghouseClient>();
        _http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
    }

    [TearDown]
    public async Task Stop()
    {
        _http.Dispose();
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private Task<ClearinghouseAnswer> Ask(SandboxMember member, string? lastName = null, DateOnly? dateOfBirth = null, string serviceType = "AI") =>
        _client.CheckEligibilityAsync(
            new EligibilityInquiry(member.PayerId, member.FirstName, lastName ?? member.LastName, dateOfBirth ?? member.DateOfBirth,
                member.MemberId, member.GroupNumber, DateOfService, serviceType, $"{Interlocked.Increment(ref _control):000000000}"),
            CancellationToken.None);

    private static SandboxMember Member(string memberId) => SandboxCatalogue.Members.Single(m => m.MemberId == memberId);

    private static List<JsonElement> Rows(JsonElement root) => [.. root.GetProperty("benefitsInformation").EnumerateArray()];

    private static JsonElement Row(JsonElement root, string code, string? level, string? time, string? network, string stc) =>
        Rows(root).Single(r =>
            r.GetProperty("code").GetString() == code
            && Str(r, "coverageLevelCode") == level
            && Str(r, "timeQualifierCode") == time
            && Str(r, "inPlanNetworkIndicatorCode") == network
            && r.GetProperty("serviceTypeCodes").EnumerateArray().Any(s => s.GetString() == stc));

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetString() : null;

    [Test]
    public async Task The_PPO_member_shows_deductible_coinsurance_and_prior_auth()
    {
        var answer = await Ask(Member("W100000001"));
        using var json = JsonDocument.Parse(answer.RawAnswer);
        var root = json.RootElement;

        // What the Service gets: the client's normalised reading.
        var coverage = answer.Reading.Coverage!;
        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Reading.Errors, Is.Empty);
        Assert.That(coverage.Active, Is.True);
        Assert.That(coverage.InNetwork!.Deductible!.Individual, Is.EqualTo(new Amounts(1500m, 1300m, 200m)));
        Assert.That(coverage.InNetwork.OutOfPocketMax!.Individual!.Remaining, Is.EqualTo(5100m));
        Assert.That(coverage.InNetwork.CoinsurancePercent, Is.EqualTo(20m));
        Assert.That(coverage.InNetwork.PriorAuthorizationRequired, Is.True);
        Assert.That(coverage.OutOfNetwork!.CoinsurancePercent, Is.EqualTo(50m));
        Assert.That(coverage.PlanBegin, Is.EqualTo(new DateOnly(2026, 1, 1)));

        // What the sandbox sent on the wire.
        Assert.That(Str(Row(root, "C", "IND", "23", "Y", "30"), "benefitAmount"), Is.EqualTo("1500"));
        Assert.That(Str(Row(root, "C", "IND", "29", "Y", "30"), "benefitAmount"), Is.EqualTo("1300"));
        Assert.That(Str(Row(root, "G", "IND", "29", "Y", "30"), "benefitAmount"), Is.EqualTo("5100"));
        var coinsurance = Row(root, "A", "IND", null, "Y", "AI");
        Assert.That(Str(coinsurance, "benefitPercent"), Is.EqualTo(".2"));
        Assert.That(Str(coinsurance, "authOrCertIndicator"), Is.EqualTo("Y"));
        Assert.That(Str(Row(root, "A", "IND", null, "N", "AI"), "benefitPercent"), Is.EqualTo(".5"));
        Assert.That(root.GetProperty("planDateInformation").GetProperty("planBegin").GetString(), Is.EqualTo("20260101"));
        Assert.That(root.GetProperty("errors").GetArrayLength(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_HMO_member_has_a_per_visit_copay_and_no_out_of_network_cover()
    {
        var answer = await Ask(Member("K200000001"));
        using var json = JsonDocument.Parse(answer.RawAnswer);
        var root = json.RootElement;

        Assert.That(answer.Reading.Coverage!.InNetwork!.CopayPerDay, Is.EqualTo(25m));
        Assert.That(answer.Reading.Coverage.InNetwork.CoinsurancePercent, Is.EqualTo(0m));

        Assert.That(Str(Row(root, "B", "IND", "27", "Y", "AI"), "benefitAmount"), Is.EqualTo("25"));
        Assert.That(Str(Row(root, "A", "IND", null, "Y", "AI"), "benefitPercent"), Is.EqualTo("0"));
        Assert.That(Rows(root).Count(r => Str(r, "code") == "I" && Str(r, "inPlanNetworkIndicatorCode") == "N"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_family_member_shows_individual_and_family_remainders()
    {
        using var json = JsonDocument.Parse((await Ask(Member("W100000004"))).RawAnswer);
        var root = json.RootElement;

        Assert.That(Str(Row(root, "C", "IND", "29", "Y", "30"), "benefitAmount"), Is.EqualTo("1500"));
        Assert.That(Str(Row(root, "C", "FAM", "29", "Y", "30"), "benefitAmount"), Is.EqualTo("900"));
        Assert.That(Str(Row(root, "G", "FAM", "23", "Y", "30"), "benefitAmount"), Is.EqualTo("12000"));
    }

    [Test]
    public async Task The_visit_limited_member_shows_limit_and_visits_left()
    {
        using var json = JsonDocument.Parse((await Ask(Member("W100000005"))).RawAnswer);
        var root = json.RootElement;

        var limit = Row(root, "F", "IND", "23", "Y", "AI");
        Assert.That(Str(limit, "quantityQualifierCode"), Is.EqualTo("VS"));
        Assert.That(Str(limit, "benefitQuantity"), Is.EqualTo("30"));
        Assert.That(Str(Row(root, "F", "IND", "29", "Y", "AI"), "benefitQuantity"), Is.EqualTo("6"));
    }

    [Test]
    public async Task The_terminated_member_is_inactive_with_no_benefits()
    {
        var answer = await Ask(Member("W100000009"));
        using var json = JsonDocument.Parse(answer.RawAnswer);
        var root = json.RootElement;

        Assert.That(answer.Reading.Coverage!.Active, Is.False);
        Assert.That(Rows(root).Select(r => Str(r, "code")), Is.EqualTo(new[] { "6" }));
        Assert.That(root.GetProperty("planDateInformation").GetProperty("planEnd").GetString(), Is.EqualTo("20261130"));
    }

    [Test]
    public async Task The_carve_out_member_names_the_behavioural_health_administrator()
    {
        using var json = JsonDocument.Parse((await Ask(Member("C400000001"))).RawAnswer);
        var carveOut = Rows(json.RootElement).Single(r => Str(r, "code") == "U");
        var entity = carveOut.GetProperty("benefitsRelatedEntities")[0];

        Assert.That(carveOut.GetProperty("serviceTypeCodes").EnumerateArray().Select(s => s.GetString()), Is.EquivalentTo(new[] { "AI", "MH" }));
        Assert.That(Str(entity, "entityName"), Is.EqualTo("EXAMPLE BEHAVIORAL HEALTH ADMINISTRATOR"));
        Assert.That(entity.GetProperty("contactInformation").GetProperty("contacts")[0].GetProperty("communicationNumber").GetString(), Is.EqualTo("8005551234"));
    }

    [Test]
    public async Task The_out_of_network_only_member_has_only_N_tier_cost_rows()
    {
        using var json = JsonDocument.Parse((await Ask(Member("U300000001"))).RawAnswer);
        var costRows = Rows(json.RootElement).Where(r => Str(r, "code") is "A" or "B" or "C" or "G").ToList();

        Assert.That(costRows, Is.Not.Empty);
        Assert.That(costRows.Select(r => Str(r, "inPlanNetworkIndicatorCode")), Is.All.EqualTo("N"));
        Assert.That(Str(Row(json.RootElement, "A", "IND", null, "N", "AI"), "benefitPercent"), Is.EqualTo(".4"));
    }

    [Test]
    public async Task The_Medicare_member_has_Part_B_rows_without_network_tiers()
    {
        using var json = JsonDocument.Parse((await Ask(Member("1EG4TE5MK73"))).RawAnswer);
        var rows = Rows(json.RootElement);

        Assert.That(rows.Any(r => r.TryGetProperty("inPlanNetworkIndicatorCode", out _)), Is.False);
        Assert.That(Str(rows[0], "insuranceTypeCode"), Is.EqualTo("MB"));
        Assert.That(Str(rows.Single(r => Str(r, "code") == "C" && Str(r, "timeQualifierCode") == "23"), "benefitAmount"), Is.EqualTo("283"));
    }

    [Test]
    public async Task The_Medi_Cal_member_answers_at_service_type_30_only()
    {
        using var json = JsonDocument.Parse((await Ask(Member("91234567A"))).RawAnswer);
        var codes = Rows(json.RootElement).SelectMany(r => r.GetProperty("serviceTypeCodes").EnumerateArray()).Select(s => s.GetString()).Distinct();

        Assert.That(codes, Is.EqualTo(new[] { "30" }));
    }

    [Test]
    public async Task An_unknown_member_is_a_400_with_AAA_75_sent_once()
    {
        var stranger = Member("W100000001") with { MemberId = "W999999999" };

        var answer = await Ask(stranger);
        using var json = JsonDocument.Parse(answer.RawAnswer);

        Assert.That(answer.StatusCode, Is.EqualTo(400));
        Assert.That(answer.Attempts, Is.EqualTo(1));
        Assert.That(answer.Reading.Coverage, Is.Null);
        Assert.That(answer.Reading.Errors.Select(e => (e.Code, e.Class)).Distinct(), Is.EqualTo(new[] { ("75", AaaClass.CorrectData) }));
        Assert.That(json.RootElement.GetProperty("errors")[0].GetProperty("code").GetString(), Is.EqualTo("75"));
        Assert.That(json.RootElement.GetProperty("subscriber").GetProperty("aaaErrors")[0].GetProperty("location").GetString(), Is.EqualTo("Loop 2100C"));
    }

    [Test]
    public async Task A_member_asked_under_another_payer_is_not_found()
    {
        var answer = await Ask(Member("W100000001") with { PayerId = SandboxCatalogue.Cigna });

        Assert.That(answer.StatusCode, Is.EqualTo(400));
        Assert.That(answer.Reading.Errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { "75" }));
    }

    [Test]
    public async Task A_wrong_last_name_or_birth_date_is_rejected_with_73_or_71()
    {
        var member = Member("W100000001");

        var wrongName = await Ask(member, lastName: "SOMEONE");
        var wrongBirth = await Ask(member, dateOfBirth: member.DateOfBirth.AddDays(1));

        Assert.That(wrongName.Reading.Errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { "73" }));
        Assert.That(wrongBirth.Reading.Errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { "71" }));
    }

    [Test]
    public async Task The_service_type_rejecting_member_answers_AAA_53_for_AI_and_benefits_for_30()
    {
        var member = Member("H500000053");

        var specific = await Ask(member, serviceType: "AI");
        var general = await Ask(member, serviceType: "30");
        using var json = JsonDocument.Parse(general.RawAnswer);

        Assert.That(specific.StatusCode, Is.EqualTo(400));
        Assert.That(specific.Attempts, Is.EqualTo(1));
        Assert.That(specific.Reading.Errors.Select(e => (e.Code, e.Class)).Distinct(), Is.EqualTo(new[] { ("53", AaaClass.BenefitMismatch) }));
        Assert.That(general.StatusCode, Is.EqualTo(200));
        Assert.That(general.Reading.Coverage!.InNetwork!.CopayPerDay, Is.EqualTo(35m));
        Assert.That(Str(Row(json.RootElement, "B", "IND", "27", "Y", "30"), "benefitAmount"), Is.EqualTo("35"));
    }

    [Test]
    public async Task The_payer_down_member_answers_200_with_AAA_42_follow_up_R()
    {
        var answer = await Ask(Member("R600000042"));
        using var json = JsonDocument.Parse(answer.RawAnswer);
        var error = json.RootElement.GetProperty("payer").GetProperty("aaaErrors")[0];

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(1), "AAA 42 is retried by the worker's queue, not inline");
        Assert.That(answer.Reading.IsRetryable, Is.True);
        Assert.That(answer.Reading.Errors.Select(e => e.Code), Is.EqualTo(new[] { "42" }));
        Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("42"));
        Assert.That(error.GetProperty("followupAction").GetString(), Is.EqualTo("Resubmission Allowed"));
        Assert.That(json.RootElement.GetProperty("x12").GetString(), Does.Contain("AAA*Y**42*R~"));
    }

    [Test]
    public async Task The_503_burst_member_is_answered_on_the_third_attempt()
    {
        var answer = await Ask(Member("R600000503"));

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(3));
    }

    [Test]
    public async Task The_429_burst_member_is_answered_after_honouring_Retry_After()
    {
        var answer = await Ask(Member("R600000429"));

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(3));
        Assert.That(answer.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(1900)));
    }

    [Test]
    public async Task The_slow_member_takes_the_slow_latency()
    {
        var answer = await Ask(Member("R600000001"));

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
    }

    [Test]
    public async Task A_rerun_after_the_coverage_changes_shows_the_change()
    {
        var member = Member("W100000001");
        var first = await Ask(member);
        Assert.That(first.Reading.Coverage!.InNetwork!.Deductible!.Individual!.Remaining, Is.EqualTo(1300m));
        using (var before = JsonDocument.Parse(first.RawAnswer))
        {
            Assert.That(Str(Row(before.RootElement, "C", "IND", "29", "Y", "30"), "benefitAmount"), Is.EqualTo("1300"));
        }

        using var lowered = await _http.PutAsJsonAsync($"sandbox/members/{member.MemberId}", new { deductibleRemaining = 200.50m });
        Assert.That(lowered.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var second = await Ask(member);
        Assert.That(second.Reading.Coverage!.InNetwork!.Deductible!.Individual!.Remaining, Is.EqualTo(200.50m));
        using (var after = JsonDocument.Parse(second.RawAnswer))
        {
            Assert.That(Str(Row(after.RootElement, "C", "IND", "29", "Y", "30"), "benefitAmount"), Is.EqualTo("200.5"));
        }

        using var terminated = await _http.PutAsJsonAsync($"sandbox/members/{member.MemberId}", new { status = "terminated" });
        Assert.That(terminated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var third = await Ask(member);
        Assert.That(third.Reading.Coverage!.Active, Is.False);
        using var inactive = JsonDocument.Parse(third.RawAnswer);
        Assert.That(Rows(inactive.RootElement).Select(r => Str(r, "code")), Is.EqualTo(new[] { "6" }));
    }

    [Test]
    public async Task A_remaining_amount_above_the_total_is_refused()
    {
        using var response = await _http.PutAsJsonAsync("sandbox/members/W100000001", new { deductibleRemaining = 99999m });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Fault_rates_are_validated_and_applied_at_run_time()
    {
        using var tooMuch = await _http.PutAsJsonAsync("sandbox/faults", new { http503 = 0.7, http429 = 0.5 });
        Assert.That(tooMuch.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));

        using var allDown = await _http.PutAsJsonAsync("sandbox/faults", new { http503 = 1.0 });
        Assert.That(allDown.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var response = await PostRaw(Member("W100000001"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("SERVICE_UNAVAILABLE"));
    }

    [Test]
    public async Task Stats_count_the_inquiries_and_the_most_in_flight_at_once()
    {
        var slow = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => PostRaw(Member("R600000001")))); // 300 ms each here
        foreach (var response in slow)
        {
            response.Dispose();
        }

        await Ask(Member("W100000001"));

        using var stats = JsonDocument.Parse(await _http.GetStringAsync("sandbox/stats"));
        Assert.That(stats.RootElement.GetProperty("requests").GetInt64(), Is.EqualTo(4));
        Assert.That(stats.RootElement.GetProperty("inFlight").GetInt32(), Is.Zero);
        Assert.That(stats.RootElement.GetProperty("peakInFlight").GetInt32(), Is.EqualTo(3));

        using var reset = await _http.PostAsync("sandbox/reset", content: null);
        Assert.That(_sandbox.State.Traffic, Is.EqualTo(new SandboxTraffic(0, 0, 0)));
    }

    [Test]
    public async Task The_same_seed_injects_the_same_faults()
    {
        var options = new SandboxOptions { LatencyMs = 0, Seed = 42, Faults = new SandboxFaults { Http503 = 0.3, Http429 = 0.2, Aaa42 = 0.1 } };
        var first = await StatusSequence(options);
        var second = await StatusSequence(options);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(first.Distinct().Count(), Is.GreaterThanOrEqualTo(3), "a mix of answers and faults");
    }

    [Test]
    public async Task The_x12_twin_carries_the_same_benefit_rows_and_a_correct_segment_count()
    {
        foreach (var member in SandboxCatalogue.Members.Where(m => m.Behaviour == SandboxBehaviour.Normal))
        {
            var answer = await Ask(member);
            using var json = JsonDocument.Parse(answer.RawAnswer);
            var x12 = json.RootElement.GetProperty("x12").GetString()!;
            var segments = x12.Split('~', StringSplitOptions.RemoveEmptyEntries);
            var eb = segments.Where(s => s.StartsWith("EB*", StringComparison.Ordinal)).Select(s => s.Split('*')).ToList();
            var rows = Rows(json.RootElement);

            Assert.That(x12, Does.StartWith("ISA*"));
            Assert.That(segments[0].Length, Is.EqualTo(105), $"{member.MemberId}: ISA is fixed width");
            Assert.That(eb.Select(e => e[1]), Is.EqualTo(rows.Select(r => Str(r, "code"))), member.MemberId);
            Assert.That(eb.Select(e => e.ElementAtOrDefault(7) is { Length: > 0 } a ? a : null),
                Is.EqualTo(rows.Select(r => Str(r, "benefitAmount"))), member.MemberId);
            Assert.That(eb.Select(e => e.ElementAtOrDefault(3)),
                Is.EqualTo(rows.Select(r => string.Join('^', r.GetProperty("serviceTypeCodes").EnumerateArray().Select(s => s.GetString())))), member.MemberId);

            var st = Array.FindIndex(segments, s => s.StartsWith("ST*", StringComparison.Ordinal));
            var se = Array.FindIndex(segments, s => s.StartsWith("SE*", StringComparison.Ordinal));
            Assert.That(segments[se].Split('*')[1], Is.EqualTo((se - st + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), member.MemberId);
        }
    }

    [Test]
    public async Task Concurrent_requests_and_changes_are_safe()
    {
        var member = Member("W100000002");
        var asks = Enumerable.Range(0, 40).Select(_ => Ask(member));
        var changes = Enumerable.Range(0, 10).Select(i => _http.PutAsJsonAsync($"sandbox/members/{member.MemberId}", new { outOfPocketRemaining = 2000m + i }));

        var answers = await Task.WhenAll(asks);
        foreach (var response in await Task.WhenAll(changes))
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            response.Dispose();
        }

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(200));
        Assert.That(answers.Select(a => a.Reading.Coverage?.InNetwork?.OutOfPocketMax?.Individual?.Remaining), Is.All.InRange(2000m, 2150m), "the first value or one of the changes");
        var remaining = _sandbox.State.Find(member.PayerId, member.MemberId)!.Coverage.PlanLevel!.InNetwork!.IndividualOutOfPocket!.Remaining;
        Assert.That(remaining, Is.InRange(2000m, 2009m));
    }

    private async Task<HttpStatusCode[]> StatusSequence(SandboxOptions options)
    {
        await using var sandbox = await SandboxHost.StartAsync(options, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            using var response = await PostRaw(Member("W100000001"), http);
            var body = await response.Content.ReadAsStringAsync();
            statuses.Add(body.Contains("\"code\":\"42\"", StringComparison.Ordinal) ? (HttpStatusCode)242 : response.StatusCode);
        }

        return [.. statuses];
    }

    private Task<HttpResponseMessage> PostRaw(SandboxMember member, HttpClient? http = null)
    {
        var body = JsonSerializer.Serialize(new
        {
            controlNumber = "000000001",
            tradingPartnerServiceId = member.PayerId,
            provider = new { organizationName = "Harbor Light Recovery IOP", npi = "1999999984" },
            subscriber = new { memberId = member.MemberId, firstName = member.FirstName, lastName = member.LastName, dateOfBirth = member.DateOfBirth.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) },
            encounter = new { serviceTypeCodes = new[] { "AI" }, dateOfService = "20261201" },
        });
        return (http ?? _http).PostAsync("medicalnetwork/eligibility/v3", new StringContent(body, Encoding.UTF8, "application/json"));
    }
}
