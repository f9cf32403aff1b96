using System.Net;
using System.Text;
using System.Text.Json;
using CoverageCheck.Clients.Remittances;
using CoverageCheck.Sandbox;

namespace CoverageCheck.Clients.Tests.Sandbox;

/// <summary>
/// Issue #19: the sandbox payer's 835 for what it adjudicated, read back with the project's <see cref="X835Reader"/>.
/// Every figure below is worked by hand from docs/sandbox.md ("Remittances") and the catalogue, not from the code.
/// </summary>
public sealed class SandboxRemittanceTests
{
    private const decimal Charge = 650.00m;
    private static readonly SandboxRemittanceSettings Settings = new(new DateOnly(2026, 12, 18)) { TraceNumber = "SBXTEST", InterchangeControlNumber = 42 };

    private static IReadOnlyList<DateOnly> Days(string first, int count) =>
        [.. Enumerable.Range(0, count).Select(i => DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture).AddDays(i))];

    private static SandboxClaimRequest Claim(string patientRef, string payerId, string memberId, IReadOnlyList<DateOnly> dates, decimal charge = Charge)
    {
        var member = SandboxCatalogue.Members.FirstOrDefault(m => m.PayerId == payerId && m.MemberId == memberId);
        return new SandboxClaimRequest(patientRef, payerId, memberId, member?.FirstName ?? "NOONE", member?.LastName ?? "UNKNOWN", dates, charge);
    }

    private static Remittance Read(string text)
    {
        var remittance = X835Reader.Read(text);
        Assert.That(remittance.Issues, Is.Empty, string.Join("; ", remittance.Issues.Select(i => $"{i.SegmentId} {i.Message}")));
        Assert.That(remittance.IsReadable, Is.True);
        return remittance;
    }

    private static RemittanceClaim ClaimOf(Remittance remittance, string patientRef) =>
        remittance.Transactions.SelectMany(t => t.Claims).Single(c => c.PatientControlNumber == patientRef);

    [Test]
    public void The_PPO_member_pays_the_rest_of_the_deductible_then_coinsurance_and_the_835_balances()
    {
        // W100000001 AVA (Aetna PPO): deductible $1,300 left of $1,500, 20 %, $0 copay, OOP $5,100 left; $400 allowed.
        //   day 1: deductible 400 (900 left), paid 0      day 2: deductible 400 (500 left), paid 0
        //   day 3: deductible 400 (100 left), paid 0      day 4: deductible 100, coinsurance 20 % × 300 = 60, paid 240
        //   day 5: coinsurance 20 % × 400 = 80, paid 320
        //   deductible 1,300 · coinsurance 140 · copay 0 · paid 560 · CO 45 5 × (650 − 400) = 1,250 · OOP used 1,440 < 5,100
        var text = SandboxRemittances.Issue([Claim("PT-AVA", SandboxCatalogue.Aetna, "W100000001", Days("2026-11-02", 5))], Settings);

        var remittance = Read(text);
        var transaction = remittance.Transactions.Single();
        var claim = ClaimOf(remittance, "PT-AVA");
        Assert.That(transaction.Balances, Is.True);
        Assert.That(transaction.Payment.Amount, Is.EqualTo(560.00m));
        Assert.That(transaction.Payment.Date, Is.EqualTo(new DateOnly(2026, 12, 18)));
        Assert.That(transaction.TraceNumber, Is.EqualTo("SBXTEST-60054"));
        Assert.That(transaction.Payer, Is.EqualTo(new RemittanceParty("AETNA", null, null, "60054")));
        Assert.That(transaction.Payee, Is.EqualTo(new RemittanceParty("COVERAGECHECK SANDBOX IOP", "XX", "1234567893", "990000001")));
        Assert.That(claim.Status, Is.EqualTo("1"));
        Assert.That(claim.Balances, Is.True);
        Assert.That((claim.Billed, claim.Paid, claim.PatientResponsibilityStated), Is.EqualTo((3250.00m, 560.00m, 1440.00m)));
        Assert.That(claim.PatientShare, Is.EqualTo(new PatientShare(1300.00m, 140.00m, 0m, [])).Using<PatientShare>(SameShare));
        Assert.That(claim.Lines.Select(l => l.PatientShare.Deductible), Is.EqualTo(new[] { 400m, 400m, 400m, 100m, 0m }));
        Assert.That(claim.Lines.Select(l => l.PatientShare.Coinsurance), Is.EqualTo(new[] { 0m, 0m, 0m, 60m, 80m }));
        Assert.That(claim.Lines.Select(l => l.Paid), Is.EqualTo(new[] { 0m, 0m, 0m, 240m, 320m }));
        Assert.That(claim.Lines.SelectMany(l => l.Adjustments).Where(a => a.Group == "CO").Select(a => (a.Reason, a.Amount)),
            Is.EqualTo(Enumerable.Repeat(("45", 250.00m), 5)));
        Assert.That(claim.Lines.Select(l => (l.Allowed, l.AllowedSource, l.Code, l.RevenueCode, l.UnitsPaid)),
            Is.All.EqualTo(((decimal?)400.00m, "AMT*B6", "H0015", "0906", "1")));
        Assert.That(claim.Lines.Select(l => l.From), Is.EqualTo(Days("2026-11-02", 5).Select(d => (DateOnly?)d)));
        Assert.That((claim.StatementFrom, claim.StatementTo), Is.EqualTo(((DateOnly?)new DateOnly(2026, 11, 2), (DateOnly?)new DateOnly(2026, 11, 6))));
        Assert.That((claim.PatientLastName, claim.PatientFirstName, claim.MemberId, claim.FilingIndicator), Is.EqualTo(("PPOSAMPLE", "AVA", "W100000001", "12")));
    }

    [Test]
    public void A_copay_comes_before_the_deductible_and_coinsurance_takes_the_rest_as_the_estimator_orders_them()
    {
        // R600000001 (Regional PPO): $30 copay, deductible $1,000 untouched, 20 %, OOP $5,000 untouched; $400 allowed.
        //   day 1: copay 30, deductible min(370, 1,000) = 370 (630 left), paid 0
        //   day 2: copay 30, deductible 370 (260 left), paid 0
        //   day 3: copay 30, deductible 260, coinsurance 20 % × (400 − 30 − 260 = 110) = 22, paid 88
        //   day 4: copay 30, coinsurance 20 % × 370 = 74, paid 296
        //   copay 120 · deductible 1,000 · coinsurance 96 · paid 384
        // (Deductible first would give day 1 deductible 400 and no copay: the estimator's order is copay first.)
        var remittance = Read(SandboxRemittances.Issue([Claim("PT-NIA", SandboxCatalogue.Regional, "R600000001", Days("2026-11-02", 4))], Settings));

        var claim = ClaimOf(remittance, "PT-NIA");
        Assert.That(claim.PatientShare, Is.EqualTo(new PatientShare(1000m, 96m, 120m, [])).Using<PatientShare>(SameShare));
        Assert.That(claim.Lines.Select(l => (l.PatientShare.Copay, l.PatientShare.Deductible, l.PatientShare.Coinsurance, l.Paid)), Is.EqualTo(new[]
        {
            (30m, 370m, 0m, (decimal?)0m), (30m, 370m, 0m, 0m), (30m, 260m, 22m, 88m), (30m, 0m, 74m, 296m),
        }));
        Assert.That(claim.Paid, Is.EqualTo(384m));
        Assert.That(remittance.Transactions.Single().Payer.AdditionalId, Is.EqualTo("00710"));
    }

    [Test]
    public void The_differing_payer_allows_380_and_writes_off_the_rest()
    {
        // H500000001 JON (Humana): $40 copay, deductible $750 untouched, 0 %, OOP $5,380 left; Humana allows $380.
        //   day 1: copay 40, deductible 340 (410 left), paid 0    day 2: copay 40, deductible 340 (70 left), paid 0
        //   day 3: copay 40, deductible 70, paid 380 − 110 = 270
        //   CO 45 3 × (650 − 380) = 810 · copay 120 · deductible 750 · paid 270
        var remittance = Read(SandboxRemittances.Issue([Claim("PT-JON", SandboxCatalogue.Humana, "H500000001", Days("2026-11-02", 3))], Settings));

        var claim = ClaimOf(remittance, "PT-JON");
        Assert.That(claim.Lines.Select(l => l.Allowed), Is.All.EqualTo(380.00m));
        Assert.That(claim.Lines.SelectMany(l => l.Adjustments).Where(a => a.Group == "CO").Sum(a => a.Amount), Is.EqualTo(810.00m));
        Assert.That((claim.PatientShare.Copay, claim.PatientShare.Deductible, claim.PatientShare.Coinsurance, claim.Paid), Is.EqualTo((120m, 750m, 0m, (decimal?)270m)));
        Assert.That(SandboxRemittanceSettings.DefaultAllowedPerDayByPayer.Keys, Is.EqualTo(new[] { SandboxCatalogue.Humana }), "one payer differs, no more");
    }

    [Test]
    public void The_out_of_pocket_maximum_caps_the_coinsurance_and_then_the_payer_pays_the_whole_allowed()
    {
        // W100000003 CARA: deductible met, 20 %, OOP $150 left. day 1: coinsurance 80 (70 left), paid 320;
        // day 2: coinsurance min(80, 70) = 70, paid 330; day 3: nothing left, paid 400. Total paid 1,050, patient 150.
        var claim = ClaimOf(Read(SandboxRemittances.Issue([Claim("PT-CARA", SandboxCatalogue.Aetna, "W100000003", Days("2026-11-02", 3))], Settings)), "PT-CARA");

        Assert.That(claim.Lines.Select(l => l.PatientShare.Coinsurance), Is.EqualTo(new[] { 80m, 70m, 0m }));
        Assert.That((claim.Paid, claim.PatientShare.Total), Is.EqualTo(((decimal?)1050m, 150m)));
    }

    [Test]
    public void A_terminated_member_is_denied_CO_27_on_every_line_and_a_coverage_that_ends_mid_claim_only_after_its_end()
    {
        // W100000009 FAY: inactive. W100000020 GIA: ends 21 days after her first day billed (2026-11-02 → 2026-11-23);
        // she is otherwise W100000001, so 11-02 and 11-23 pay as AVA's days 1 and 2 (deductible 400 each, paid 0) and 11-24 is denied.
        var remittance = Read(SandboxRemittances.Issue(
        [
            Claim("PT-FAY", SandboxCatalogue.Aetna, "W100000009", Days("2026-11-02", 3)),
            Claim("PT-GIA", SandboxCatalogue.Aetna, "W100000020", [new(2026, 11, 2), new(2026, 11, 23), new(2026, 11, 24)]),
        ], Settings));

        var fay = ClaimOf(remittance, "PT-FAY");
        Assert.That(fay.IsDenial, Is.True);
        Assert.That((fay.Billed, fay.Paid, fay.PatientResponsibilityStated), Is.EqualTo(((decimal?)1950m, (decimal?)0m, (decimal?)0m)));
        Assert.That(fay.Lines.Select(l => l.Adjustments.Single()), Is.All.EqualTo(new RemittanceAdjustment("CO", "27", 650.00m)));
        Assert.That(fay.Lines.Select(l => (l.UnitsPaid, l.UnitsOriginal, l.AllowedStated)), Is.All.EqualTo(("0", "1", (decimal?)null)));

        var gia = ClaimOf(remittance, "PT-GIA");
        Assert.That(gia.Status, Is.EqualTo("1"));
        Assert.That(gia.Lines.Select(l => l.PatientShare.Deductible), Is.EqualTo(new[] { 400m, 400m, 0m }));
        Assert.That(gia.Lines[2].Adjustments, Is.EqualTo(new[] { new RemittanceAdjustment("CO", "27", 650.00m) }));
        Assert.That(gia.Balances, Is.True);
    }

    [Test]
    public void One_transaction_per_payer_each_balanced_with_a_carve_out_denied_and_an_unknown_member_skipped()
    {
        var result = SandboxRemittances.Adjudicate(
        [
            Claim("PT-AVA", SandboxCatalogue.Aetna, "W100000001", Days("2026-11-02", 5)),
            Claim("PT-NOBODY", SandboxCatalogue.Aetna, "W999999999", Days("2026-11-02", 2)),
            Claim("PT-IDA", SandboxCatalogue.Cigna, "C400000001", Days("2026-11-02", 2)),
            Claim("PT-GUS", SandboxCatalogue.Kaiser, "K200000001", Days("2026-11-02", 2)),
            Claim("PT-ELSEWHERE", "99999", "X1", Days("2026-11-02", 1)),
        ], Settings);

        Assert.That(result.Skipped, Is.EqualTo(new[] { new SandboxSkippedClaim(1, "member-not-found"), new SandboxSkippedClaim(4, "payer-unknown") }));
        var remittance = Read(result.Text);
        Assert.That(remittance.Transactions.Select(t => (t.Payer.AdditionalId, t.ControlNumber, t.Payment.Amount, t.Balances)), Is.EqualTo(new[]
        {
            ("60054", "0001", (decimal?)560.00m, true),
            // IDA: the carve-out's administrator holds the benefit, CO 109 on both lines; nothing paid, so BPR H / NON.
            ("62308", "0002", 0.00m, true),
            // GUS (Kaiser HMO): $25 copay, no deductible, 0 %: 2 × (400 − 25) = 750.
            ("94134", "0003", 750.00m, true),
        }));
        Assert.That(remittance.Transactions[1].Payment.Method, Is.EqualTo("NON"));
        var ida = ClaimOf(remittance, "PT-IDA");
        Assert.That((ida.IsDenial, ida.Lines.SelectMany(l => l.Adjustments).Select(a => a.Group + a.Reason).Distinct().Single()), Is.EqualTo((true, "CO109")));
        Assert.That(ClaimOf(remittance, "PT-GUS").FilingIndicator, Is.EqualTo("HM"));
        Assert.That(remittance.Transactions.SelectMany(t => t.Claims).Sum(c => c.Paid), Is.EqualTo(1310.00m));
        Assert.That(result.Text, Does.StartWith("ISA*00*          *00*          *ZZ*SANDBOXCH      *ZZ*COVERAGECHECK  *261218*1200*^*00501*000000042*0*T*:~GS*HP*"));
        Assert.That(result.Text, Does.EndWith("GE*3*42~IEA*1*000000042~"));
        Assert.That(result.Text, Does.Contain("~DTM*405*20261218~"));
    }

    [Test]
    public void Accumulators_carry_from_one_claim_to_the_next_of_the_same_member_and_reset_in_a_new_year()
    {
        // AVA: a December claim (2026-12-30, 12-31: deductible 400 + 400, 500 left) and a January one given first:
        // adjudicated in date order, and 2027-01-04 starts the deductible again from $1,500 (400 of it). A third claim
        // in December 2026 would have seen 500 left; the visit-limit member's seventh day is denied CO 119.
        var remittance = Read(SandboxRemittances.Issue(
        [
            Claim("PT-JAN", SandboxCatalogue.Aetna, "W100000001", [new(2027, 1, 4), new(2027, 1, 5), new(2027, 1, 6), new(2027, 1, 7)]),
            Claim("PT-DEC", SandboxCatalogue.Aetna, "W100000001", [new(2026, 12, 30), new(2026, 12, 31)]),
            Claim("PT-ELI", SandboxCatalogue.Aetna, "W100000005", Days("2026-11-02", 7)),
        ], Settings));

        Assert.That(ClaimOf(remittance, "PT-DEC").Lines.Select(l => l.PatientShare.Deductible), Is.EqualTo(new[] { 400m, 400m }));
        // 2027: 400, 400, 400, then 300 and 20 % × 100 = 20 (paid 80).
        var january = ClaimOf(remittance, "PT-JAN");
        Assert.That(january.Lines.Select(l => l.PatientShare.Deductible), Is.EqualTo(new[] { 400m, 400m, 400m, 300m }));
        Assert.That(january.Lines[3].PatientShare.Coinsurance, Is.EqualTo(20m));
        // ELI: deductible met, 10 %: 6 days paid 360, the 7th denied.
        var eli = ClaimOf(remittance, "PT-ELI");
        Assert.That(eli.Lines.Select(l => l.Paid), Is.EqualTo(new decimal?[] { 360m, 360m, 360m, 360m, 360m, 360m, 0m }));
        Assert.That(eli.Lines[6].Adjustments, Is.EqualTo(new[] { new RemittanceAdjustment("CO", "119", 650m) }));
    }

    [Test]
    public void Out_of_network_the_patient_owes_the_difference_as_PR_45_and_coinsurance_after_the_deductible()
    {
        // U300000001 HAL: out-of-network only, deductible $2,000 untouched, 40 %. day 1 deductible 400, PR 45 250;
        // the $400 sandbox rate applies to every payer but Humana.
        var claim = ClaimOf(Read(SandboxRemittances.Issue([Claim("PT-HAL", SandboxCatalogue.UnitedHealthcare, "U300000001", Days("2026-11-02", 1))], Settings)), "PT-HAL");

        Assert.That(claim.Lines[0].Adjustments, Is.EqualTo(new[] { new RemittanceAdjustment("PR", "45", 250m), new RemittanceAdjustment("PR", "1", 400m) }));
        Assert.That((claim.Paid, claim.PatientResponsibilityStated, claim.Lines[0].AllowedStated), Is.EqualTo(((decimal?)0m, (decimal?)650m, (decimal?)400m)));
    }

    [Test]
    public void Bad_claims_are_named_field_by_field()
    {
        var errors = SandboxRemittances.Validate(
        [
            new SandboxClaimRequest("", SandboxCatalogue.Aetna, "W100000001", "A*B", "PPOSAMPLE", [new(2026, 11, 2), new(2026, 11, 2)], -1m),
        ], Settings with { PayeeNpi = "12345" });

        Assert.That(errors.Keys, Is.EquivalentTo(new[]
        {
            "payeeNpi", "claims[0].patientControlNumber", "claims[0].firstName", "claims[0].chargePerDay", "claims[0].serviceDates",
        }));
        Assert.Throws<ArgumentException>(() => SandboxRemittances.Issue([], Settings));
    }

    [Test]
    public async Task The_admin_endpoint_answers_the_835_for_the_members_as_they_are_now()
    {
        await using var sandbox = await SandboxHost.StartAsync(new SandboxOptions { LatencyMs = 0 }, CancellationToken.None);
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        // AVA with only $100 of the deductible left: day 1 deductible 100, coinsurance 20 % × 300 = 60, paid 240.
        using var changed = await http.PutAsync("sandbox/members/W100000001",
            new StringContent("""{"deductibleRemaining":100}""", Encoding.UTF8, "application/json"));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        const string body = """
            {"paymentDate":"2026-12-18","traceNumber":"EP1","claims":[
              {"patientControlNumber":"PT-AVA","payerId":"60054","memberId":"W100000001","firstName":"AVA","lastName":"PPOSAMPLE","serviceDates":["2026-11-02"],"chargePerDay":650},
              {"patientControlNumber":"PT-NONE","payerId":"60054","memberId":"W999999999","firstName":"NO","lastName":"ONE","serviceDates":["2026-11-02"],"chargePerDay":650}]}
            """;
        using var response = await http.PostAsync("sandbox/remittances", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/plain"));
        Assert.That(response.Headers.GetValues("Sandbox-Skipped-Claims").Single(), Is.EqualTo("1"));
        var remittance = Read(await response.Content.ReadAsStringAsync());
        var claim = ClaimOf(remittance, "PT-AVA");
        Assert.That((claim.PatientShare.Deductible, claim.PatientShare.Coinsurance, claim.Paid), Is.EqualTo((100m, 60m, (decimal?)240m)));
        Assert.That(remittance.Transactions.Single().TraceNumber, Is.EqualTo("EP1-60054"));

        using var bad = await http.PostAsync("sandbox/remittances", new StringContent("""{"claims":[]}""", Encoding.UTF8, "application/json"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        using var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync());
        Assert.That(problem.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "claims", "paymentDate" }));

        const string nobody = """{"paymentDate":"2026-12-18","claims":[{"patientControlNumber":"P","payerId":"60054","memberId":"W999999999","firstName":"N","lastName":"O","serviceDates":["2026-11-02"],"chargePerDay":650}]}""";
        using var none = await http.PostAsync("sandbox/remittances", new StringContent(nobody, Encoding.UTF8, "application/json"));
        Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    private static bool SameShare(PatientShare a, PatientShare b) =>
        a.Deductible == b.Deductible && a.Coinsurance == b.Coinsurance && a.Copay == b.Copay && a.Other.SequenceEqual(b.Other);
}
