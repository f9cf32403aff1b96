using CoverageCheck.Clients.Remittances;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Tests.Remittances;

/// <summary>
/// Issue #19: the 835 reader's rules from the project's own fixtures (written here, not copied), so a clone without
/// ../shared tests each one: claim- and line-level adjustments, the patient's share by reason, the allowed amount,
/// reversals and denials, provider adjustments, balancing as a warning, and unreadable input named by segment.
/// </summary>
public sealed class X835ReaderTests
{
    private const string Isa = "ISA*00*          *00*          *ZZ*SANDBOXPAYER   *ZZ*COVERAGECHECK  *261203*0900*^*00501*000000001*0*T*:~";

    // An IOP claim of three H0015 days at $450, $400 allowed: deductible $300 on day 1, then 20 % coinsurance; a
    // reversal of an earlier claim, a denial, and a PLB interest payment.
    private static readonly string Sample = string.Join("",
        Isa,
        "GS*HP*SANDBOXPAYER*COVERAGECHECK*20261203*0900*1*X*005010X221A1~",
        "ST*835*0001*005010X221A1~",
        "BPR*I*700.00*C*ACH*CCP*01*999999999*DA*123456*1512345678**01*999999999*DA*654321*20261210~",
        "TRN*1*EFT0001*1512345678~",
        "N1*PR*SANDBOX HEALTH PLAN~",
        "REF*2U*60054~",
        "N1*PE*CoverageCheck Sandbox IOP*XX*1999999984~",
        "REF*TJ*000000000~",
        "LX*1~",
        "CLP*P-00001*1*1350.00*790.00*410.00*12*CLAIM0001~",
        "NM1*QC*1*TESTER*ANN****MI*W100000001~",
        "DTM*232*20261207~",
        "DTM*233*20261209~",
        "SVC*HC:H0015*450.00*100.00**1~",
        "DTM*472*20261207~",
        "CAS*CO*45*50.00~",
        "CAS*PR*1*300.00~",
        "AMT*B6*400.00~",
        "SVC*HC:H0015*450.00*320.00**1~",
        "DTM*472*20261208~",
        "CAS*CO*45*50.00~",
        "CAS*PR*2*80.00~",
        "AMT*B6*400.00~",
        "SVC*NU:0906*450.00*370.00**1~",
        "DTM*472*20261209~",
        "CAS*CO*45*50.00*1~",
        "CAS*PR*3*30.00~",
        "CLP*P-00002*22*-450.00*-100.00**12*CLAIM0000~",
        "CAS*CR*45*-350.00~",
        "CLP*P-00003*4*450.00*0.00**12*CLAIM0003~",
        "CAS*CO*50*450.00~",
        "PLB*1999999984*20261231*L6:INTEREST*-10.00~",
        "SE*32*0001~",
        "GE*1*1~",
        "IEA*1*000000001~");

    [Test]
    public void An_IOP_claim_reads_with_its_lines_adjustments_and_the_patients_share_by_reason()
    {
        var remittance = X835Reader.Read(Sample);

        Assert.That(remittance.Issues, Is.Empty, string.Join("; ", remittance.Issues));
        var transaction = remittance.Transactions.Single();
        var claim = transaction.Claims[0];
        Assert.Multiple(() =>
        {
            Assert.That(transaction.Payer, Is.EqualTo(new RemittanceParty("SANDBOX HEALTH PLAN", null, null, "60054")));
            Assert.That(transaction.Payee.Id, Is.EqualTo("1999999984"));
            Assert.That(transaction.Payment, Is.EqualTo(new RemittancePayment("I", 700.00m, "C", "ACH", "CCP", new DateOnly(2026, 12, 10))));
            Assert.That(transaction.TraceNumber, Is.EqualTo("EFT0001"));
            Assert.That(claim.PatientControlNumber, Is.EqualTo("P-00001"));
            Assert.That((claim.Billed, claim.Paid, claim.PatientResponsibilityStated), Is.EqualTo((1350.00m, 790.00m, 410.00m)));
            Assert.That((claim.StatementFrom, claim.StatementTo), Is.EqualTo((new DateOnly(2026, 12, 7), (DateOnly?)new DateOnly(2026, 12, 9))));
            Assert.That(claim.MemberId, Is.EqualTo("W100000001"));
            Assert.That(claim.PatientShare, Is.EqualTo(new PatientShare(300m, 80m, 30m, [])).Using<PatientShare>(SameShare));
            Assert.That(claim.PatientShare.Total, Is.EqualTo(claim.PatientResponsibilityStated));
            Assert.That(claim.Balances, Is.True, "1350 − 150 CO-45 − 410 PR = 790");
            Assert.That(claim.Lines.Select(l => (l.Code, l.From, l.Allowed, l.AllowedSource)), Is.EqualTo(new (string?, DateOnly?, decimal?, string)[]
            {
                ("H0015", new DateOnly(2026, 12, 7), 400m, "AMT*B6"),
                ("H0015", new DateOnly(2026, 12, 8), 400m, "AMT*B6"),
                ("0906", new DateOnly(2026, 12, 9), 400m, "derived"),
            }));
            Assert.That(claim.Lines[2].RevenueCodeBilled, Is.EqualTo("0906"), "a line billed by revenue code alone (NU)");
            Assert.That(claim.Lines[2].Adjustments, Is.EqualTo(new[] { new RemittanceAdjustment("CO", "45", 50m, 1m), new RemittanceAdjustment("PR", "3", 30m) }));
            Assert.That(claim.Lines.All(l => l.Balances), Is.True);
            Assert.That(claim.ToString(), Does.Not.Contain("TESTER").And.Not.Contain("W100000001"), "a claim never prints the patient");
        });
    }

    [Test]
    public void Reversals_denials_and_provider_adjustments_are_read_and_the_payment_balances()
    {
        var transaction = X835Reader.Read(Sample).Transactions.Single();

        Assert.Multiple(() =>
        {
            Assert.That(transaction.Claims[1].IsReversal, Is.True);
            Assert.That(transaction.Claims[1].Paid, Is.EqualTo(-100.00m));
            Assert.That(transaction.Claims[2].IsDenial, Is.True);
            Assert.That(transaction.ProviderAdjustments, Is.EqualTo(new[] { new ProviderAdjustment("1999999984", new DateOnly(2026, 12, 31), "L6", "INTEREST", -10.00m) }));
            Assert.That(transaction.ExpectedPaymentAmount, Is.EqualTo(700.00m), "790 − 100 + 0, less PLB −10");
            Assert.That(transaction.Balances, Is.True);
        });
    }

    [Test]
    public void A_payment_that_does_not_balance_and_a_bad_date_are_warnings_not_refusals()
    {
        var text = Sample.Replace("BPR*I*700.00*", "BPR*I*705.00*", StringComparison.Ordinal).Replace("*20261210~", "*20261332~", StringComparison.Ordinal);

        var remittance = X835Reader.Read(text);

        Assert.Multiple(() =>
        {
            Assert.That(remittance.IsReadable, Is.True);
            Assert.That(remittance.Transactions.Single().Balances, Is.False);
            Assert.That(remittance.Transactions.Single().Payment.Date, Is.Null);
            Assert.That(remittance.Issues.Select(i => i.ToString()), Has.Some.Contains("does not balance: BPR02 705.00").And.Some.Contains("date '20261332' is not a valid date"));
            Assert.That(remittance.Issues.All(i => i.Severity == X12IssueSeverity.Warning), Is.True);
        });
    }

    [TestCase("not an x12 file", "ISA")]
    [TestCase(Isa + "GS*HB*A*B*20261203*0900*1*X*005010X279A1~ST*271*0001*005010X279A1~SE*2*0001~GE*1*1~IEA*1*000000001~", "not an 835")]
    [TestCase(Isa + "GS*HP*A*B*20261203*0900*1*X*005010X221A1~ST*835*0001~BPR*I*1.00*C*ACH~CLP*P-1*1*1.00*1.00~", "has no SE")]
    public void Unreadable_input_is_an_error_naming_the_segment(string text, string expected)
    {
        var remittance = X835Reader.Read(text);

        Assert.That(remittance.IsReadable, Is.False);
        Assert.That(remittance.Issues.Where(i => i.Severity == X12IssueSeverity.Error).Select(i => i.ToString()), Has.Some.Contains(expected));
    }

    private static bool SameShare(PatientShare a, PatientShare b) =>
        a.Deductible == b.Deductible && a.Coinsurance == b.Coinsurance && a.Copay == b.Copay && a.Other.SequenceEqual(b.Other);
}
