using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Clients.Tests.Normalization;

/// <summary>
/// Issue #15: the rules the real-world corpus taught (<see cref="RealWorldCorpusTests"/>), each on a minimal hand-made
/// answer, so they are tested from a plain clone without ../shared. All names and IDs are invented.
/// </summary>
public sealed class RealWorldRuleTests
{
    private const string Payer = "NM1*PR*2*EXAMPLE PAYER*****PI*12345~";

    /// <summary>A one-patient 271 around <paramref name="subscriber"/> (2100C/2110C segments after NM1*IL), with SE01 counted.</summary>
    private static string Answer(string subscriber, string payer = Payer, char repetition = '^', char component = ':', string version = "005010X279A1")
    {
        var st = version.StartsWith("004010", StringComparison.Ordinal) ? "ST*271*0001~" : $"ST*271*0001*{version}~";
        var body = st +
                   "BHT*0022*11*123456789*20261201*0930~" +
                   "HL*1**20*1~" + payer +
                   "HL*2*1*21*1~NM1*1P*2*EXAMPLE IOP*****XX*1999999984~" +
                   "HL*3*2*22*0~NM1*IL*1*DOE*JANE****MI*W1~" + subscriber;
        var segments = body.Split('~', StringSplitOptions.RemoveEmptyEntries).Length + 1;
        return $"ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*COVERAGECHECK  *261201*0930*{repetition}*00501*000000101*0*T*{component}~" +
               $"GS*HB*CLEARINGHOUSE*COVERAGECHECK*20261201*0930*101*X*{version}~" +
               body + $"SE*{segments}*0001~GE*1*101~IEA*1*000000101~";
    }

    [Test]
    public void Padded_element_values_are_trimmed_so_the_payer_ID_matches_the_payer_table()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1*IND*30**PLANABBVDE ~", payer: "NM1*PR*2*TEXAS MEDICAID *****PI*617591011C21T ~"));

        Assert.That(reading.Payer, Is.EqualTo(new PayerInfo("617591011C21T", "TEXAS MEDICAID")));
        Assert.That(reading.Coverage!.PlanName, Is.EqualTo("PLANABBVDE"));
    }

    [Test]
    public void A_filler_amount_like_99999_99_is_not_applicable_not_a_cap_while_9999999_99_still_means_no_limit()
    {
        var reading = CoverageNormalizer.FromX12(Answer(
            "EB*1*IND*30**PPO~EB*C*IND*30***23*99999.99*****Y~EB*G*IND*30***23*9999999.99*****Y~EB*A*IND*30*****.2****Y~"));
        var inNetwork = reading.Coverage!.InNetwork!;

        Assert.That(inNetwork.Deductible, Is.Null, "99999.99 is a filler, not a $99,999.99 deductible");
        Assert.That(inNetwork.OutOfPocketMax!.Individual, Is.EqualTo(new Amounts(null, null, null, Unlimited: true)));
        Assert.That(reading.Assumptions, Has.Some.Contains("99999.99").And.Contains("not applicable"));
    }

    [Test]
    public void The_payer_ID_is_taken_from_NM1_PR_with_PI_in_preference_to_a_tax_ID()
    {
        var withBoth = CoverageNormalizer.FromX12(Answer("EB*1*IND*30**PPO~", payer: "NM1*PR*2*EXAMPLE PAYER*****FI*999999999~NM1*PR*2*EXAMPLE PAYER*****PI*12345~"));
        var taxIdOnly = CoverageNormalizer.FromX12(Answer("EB*1*IND*30**PPO~", payer: "NM1*PR*2*EXAMPLE PAYER*****FI*999999999~"));

        Assert.That(withBoth.Payer!.Id, Is.EqualTo("12345"));
        Assert.That(taxIdOnly.Payer!.Id, Is.EqualTo("999999999"), "a tax ID is kept when nothing better came");
    }

    [Test]
    public void An_ISA_with_one_character_for_repetition_and_component_is_read_with_a_warning()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1**30**GOLD PLAN~EB*B*IND*33^MH***27*10*****Y*HC^90837~", repetition: '^', component: '^'));

        Assert.That(reading.IsReadable, Is.True, string.Join("; ", reading.InputErrors));
        Assert.That(reading.Warnings, Has.Some.Contains("ISA11").And.Contains("ISA16"));
        Assert.That(reading.Coverage!.ServiceTypeUsed, Is.EqualTo("MH"), "EB03 33^MH read as two repeated service types");
        Assert.That(reading.Coverage.InNetwork!.CopayPerDay, Is.EqualTo(10.00m));
    }

    [Test]
    public void A_4010_answer_is_read_with_a_warning_that_it_is_not_5010()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1*IND*30**PPO~", version: "004010X092A1"));

        Assert.That(reading.IsReadable, Is.True);
        Assert.That(reading.Coverage!.Active, Is.True);
        Assert.That(reading.Warnings, Has.Some.Contains("4010").And.Contains("not 5010"));
    }

    [Test]
    public void The_plan_name_never_comes_from_a_limitation_row()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1*IND**MA~EB*F*IND***Physical and Speech Therapy*23*1840~"));

        Assert.That(reading.Coverage!.Active, Is.True);
        Assert.That(reading.Coverage.PlanName, Is.Null);
    }

    [Test]
    public void The_plan_name_comes_from_the_2100C_plan_REF_when_no_status_row_names_one()
    {
        var reading = CoverageNormalizer.FromX12(Answer("REF*18*PLN01*GOLD CHOICE PLAN~EB*1*IND*30~EB*F*IND***Physical and Speech Therapy*23*1840~"));

        Assert.That(reading.Coverage!.PlanName, Is.EqualTo("GOLD CHOICE PLAN"));
    }

    [Test]
    public void Non_covered_mental_health_is_not_active_and_says_so_per_tier()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1**30*OT*QUALIFIED MEDICARE BENEFICIARY~EB*C**30***22*0~EB*I**MH~"));

        Assert.That(reading.Coverage!.Active, Is.False, "30 is active but MH is not covered: for an IOP the answer is not covered");
        Assert.That(reading.Coverage.NonCovered, Is.EqualTo(new NonCovered("MH", InNetwork: true, OutOfNetwork: true)));
        Assert.That(reading.Warnings, Has.Some.Contains("not covered in or out of network"));
    }

    [Test]
    public void Non_covered_out_of_network_only_leaves_the_coverage_active()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1**30**PPO~EB*B*IND*AI***27*25*****Y~EB*I*IND*AI*********N~"));

        Assert.That(reading.Coverage!.Active, Is.True);
        Assert.That(reading.Coverage.NonCovered, Is.EqualTo(new NonCovered("AI", InNetwork: false, OutOfNetwork: true)));
        Assert.That(reading.Warnings, Has.Some.Contains("not covered out of network"));
    }

    [Test]
    public void A_total_on_MH_rows_and_a_remainder_only_on_plan_rows_are_combined_with_an_assumption()
    {
        var reading = CoverageNormalizer.FromX12(Answer(
            "EB*1**30**PPO~EB*C*IND*MH^30***23*50*****N~EB*C*IND*30***29*0*****N~EB*C*FAM*MH^30***23*100*****N~EB*C*FAM*30***29*40*****N~"));
        var deductible = reading.Coverage!.OutOfNetwork!.Deductible!;

        Assert.That(deductible.Individual, Is.EqualTo(new Amounts(50.00m, 0.00m, 50.00m)));
        Assert.That(deductible.Family, Is.EqualTo(new Amounts(100.00m, 40.00m, 60.00m)));
        Assert.That(reading.Assumptions, Has.Some.Contains("what remains only at 30; combined"));
        Assert.That(reading.Assumptions, Has.None.Contains("nothing is known to be met"));
    }

    [Test]
    public void A_dental_only_answer_states_no_medical_coverage_rather_than_active()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1**35**GUARDIAN~EB*A****DG SELECT***0.00****U*AD:D0431~EB*A****DG SELECT***0.40****U~"));
        var coverage = reading.Coverage!;

        Assert.That(coverage.Active, Is.Null);
        Assert.That(coverage.NoMedicalCoverageStated, Is.True);
        Assert.That(coverage.InNetwork, Is.Null, "the dental classes' coinsurance is not the plan's");
        Assert.That(coverage.OutOfNetwork, Is.Null);
        Assert.That(reading.Assumptions, Has.Some.StartsWith("no medical coverage stated"));
    }

    [Test]
    public void A_vision_plans_rows_beside_the_medical_plan_are_not_the_medical_plans()
    {
        var reading = CoverageNormalizer.FromX12(Answer(
            "EB*1**AL**VISION PLUS~EB*G*IND***VISION PLUS*23*0*****N~EB*1**30**GOLD PPO~EB*G*IND*30***23*6000*****N~"));
        var coverage = reading.Coverage!;

        Assert.That(coverage.Active, Is.True);
        Assert.That(coverage.PlanName, Is.EqualTo("GOLD PPO"));
        Assert.That(coverage.OutOfNetwork!.OutOfPocketMax!.Individual!.Total, Is.EqualTo(6000.00m), "the vision plan's 0 is not the medical plan's out-of-pocket maximum");
        Assert.That(reading.Assumptions, Has.Some.Contains("dental or vision plan"));
    }

    [Test]
    public void A_dental_procedure_row_without_a_service_type_is_not_the_medical_plans_coinsurance()
    {
        var reading = CoverageNormalizer.FromX12(Answer("EB*1**30**GOLD PPO~EB*A*IND******.5****U*AD:D0431~EB*A*IND*30*****.2****U~"));

        Assert.That(reading.Coverage!.InNetwork!.CoinsurancePercent, Is.EqualTo(20m));
    }

    [Test]
    public void Other_coverage_is_reported_with_payer_name_ID_type_and_dates_and_a_warning()
    {
        var reading = CoverageNormalizer.FromX12(Answer(
            "EB*1**30**MEDICARE PART B~EB*R**30*HM~DTP*291*RD8*20260101-20261231~LS*2120~NM1*PRP*2*EXAMPLE ADVANTAGE PLAN*****PI*H1234~LE*2120~"));

        Assert.That(reading.Coverage!.OtherCoverage, Is.EqualTo(new[]
        {
            new OtherCoverage("EXAMPLE ADVANTAGE PLAN", "H1234", "HM", null, new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)),
        }));
        Assert.That(reading.Coverage.CarveOut, Is.Null, "another payer is not a behavioural-health carve-out");
        Assert.That(reading.Warnings, Has.Some.Contains("other coverage"));
    }

    [TestCase("DTP*291*RD8*20260101-20261215~", "2026-12-15", TestName = "Coverage_ends_at_the_end_of_a_DTP_291_range")]
    [TestCase("DTP*346*D8*20260101~DTP*347*D8*20261215~", "2026-12-15", TestName = "Coverage_ends_at_DTP_347")]
    [TestCase("DTP*347*D8*20261231~DTP*357*D8*20261215~", "2026-12-15", TestName = "Coverage_ends_at_an_eligibility_end_DTP_357_before_the_plan_end")]
    public void Coverage_ends_on_the_earliest_plan_or_eligibility_end(string dates, string end)
    {
        var coverage = CoverageNormalizer.FromX12(Answer(dates + "EB*1*IND*30**PPO~")).Coverage!;

        Assert.That(coverage.CoverageEnds, Is.EqualTo(DateOnly.Parse(end, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [TestCase("DTP*291*RD8*20260101-20261231~")]
    [TestCase("DTP*346*D8*20260701~DTP*347*D8*20270630~")]
    [TestCase("DTP*347*D8*20261231~")]
    public void The_end_of_a_full_plan_year_is_a_renewal_not_the_end_of_coverage(string dates)
    {
        var coverage = CoverageNormalizer.FromX12(Answer(dates + "EB*1*IND*30**PPO~")).Coverage!;

        Assert.That(coverage.PlanEnd, Is.Not.Null);
        Assert.That(coverage.CoverageEnds, Is.Null);
    }

    [TestCase("""{ "planEnd": "20261215" }""", TestName = "Coverage_ends_at_v3_planDateInformation_planEnd")]
    [TestCase("""{ "plan": "20260101-20261215" }""", TestName = "Coverage_ends_at_the_end_of_v3_planDateInformation_plan")]
    [TestCase("""{ "planEnd": "20261231", "eligibilityEnd": "20261215" }""", TestName = "Coverage_ends_at_v3_planDateInformation_eligibilityEnd")]
    public void Coverage_ends_from_the_clearinghouse_plan_dates(string planDates)
    {
        var json = $$"""
            { "payer": { "name": "EXAMPLE PAYER", "payorIdentification": "12345" },
              "planDateInformation": {{planDates}},
              "benefitsInformation": [ { "code": "1", "coverageLevelCode": "IND", "serviceTypeCodes": ["30"], "planCoverage": "PPO" } ] }
            """;

        Assert.That(CoverageNormalizer.FromClearinghouseJson(json).Coverage!.CoverageEnds, Is.EqualTo(new DateOnly(2026, 12, 15)));
    }

    [Test]
    public void MSG_texts_are_kept_with_the_benefit_they_belong_to()
    {
        var coverage = CoverageNormalizer.FromX12(Answer(
            "EB*1**30**PPO~MSG*PROVIDER IS IN NETWORK FOR MEMBER~EB*C*IND*30***23*500*****Y~MSG*Accumulators are shared between Medical AND Mental Health~EB*1**35~MSG*DENTAL TEXT~")).Coverage!;

        Assert.That(coverage.Messages, Is.EqualTo(new[]
        {
            new PayerMessage("active coverage", ["30"], null, "PROVIDER IS IN NETWORK FOR MEMBER"),
            new PayerMessage("deductible", ["30"], "Y", "Accumulators are shared between Medical AND Mental Health"),
        }), "a dental row's message is not about the IOP");
    }
}
