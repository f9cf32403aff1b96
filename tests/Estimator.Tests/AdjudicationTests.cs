namespace CoverageCheck.Estimator.Tests;

public sealed class AdjudicationTests
{
    private static readonly Pricing Pricing = new(650m, 400m);

    [Test]
    public void Coinsurance_is_rounded_per_session_half_away_from_zero()
    {
        // 300.20 × 12.5% = 37.525: banker's rounding would give 37.52.
        var coverage = Requests.InNetwork() with { CoinsurancePercent = 12.5m };

        var result = CostEstimator.Estimate(Requests.Weekly(1, 2, coverage, new Pricing(650m, 300.20m)));

        Assert.That(result.SessionsDetail.Select(s => s.Coinsurance), Is.All.EqualTo(37.53m));
        Assert.That(result.Breakdown.Coinsurance, Is.EqualTo(75.06m), "a sum of rounded sessions, not 2 × 37.525 rounded");
    }

    [TestCase(1500, 3000, true, 200, 2600, 400, TestName = "Embedded: the family remainder is smaller (S13)")]
    [TestCase(1500, 3000, true, 1400, 1000, 100, TestName = "Embedded: the individual remainder is smaller")]
    [TestCase(1500, 3000, false, 1400, 1000, 2000, TestName = "Aggregate: the family amount alone")]
    [TestCase(null, 3000, true, 0, 1000, 2000, TestName = "Only a family deductible")]
    [TestCase(1500, null, true, 500, 9999, 1000, TestName = "Only an individual deductible")]
    [TestCase(1500, null, false, 500, 0, 1000, TestName = "Only an individual deductible, not embedded")]
    [TestCase(null, null, true, 0, 0, 0, TestName = "No deductible amounts")]
    [TestCase(1500, 3000, true, 1600, 3100, 0, TestName = "Met beyond the deductible: never below zero")]
    public void Deductible_remaining_follows_the_family_rules(int? individual, int? family, bool embedded, int individualMet, int familyMet, int expected)
    {
        var coverage = Requests.InNetwork() with
        {
            Deductible = new Deductible { Individual = individual, Family = family, Embedded = embedded },
            Accumulators = new Accumulators { DeductibleIndividualMet = individualMet, DeductibleFamilyMet = familyMet },
        };

        var result = CostEstimator.Estimate(Requests.Weekly(1, 1, coverage, new Pricing(10_000m)));

        Assert.That(result.Breakdown.Deductible, Is.EqualTo((decimal)expected));
    }

    [Test]
    public void The_out_of_pocket_cap_takes_copay_then_deductible_then_coinsurance()
    {
        var coverage = Requests.InNetwork() with
        {
            CopayPerDay = 100m,
            Deductible = new Deductible { Individual = 1000m },
            CoinsurancePercent = 20m,
            OutOfPocketMax = new OutOfPocketMax(Individual: 2000m),
            Accumulators = new Accumulators { OutOfPocketIndividualMet = 1850m },
        };

        var day = CostEstimator.Estimate(Requests.Weekly(1, 1, coverage, Pricing)).SessionsDetail.Single();

        Assert.That((day.Copay, day.Deductible, day.Coinsurance, day.Patient, day.Payer), Is.EqualTo((100m, 50m, 0m, 150m, 250m)));
    }

    [Test]
    public void A_copay_that_does_not_count_is_paid_in_full_and_does_not_use_the_cap()
    {
        var coverage = Requests.InNetwork() with
        {
            CopayPerDay = 100m,
            CopayCountsTowardOutOfPocket = false,
            Deductible = new Deductible { Individual = 1000m },
            OutOfPocketMax = new OutOfPocketMax(Individual: 2000m),
            Accumulators = new Accumulators { OutOfPocketIndividualMet = 1850m },
        };

        var days = CostEstimator.Estimate(Requests.Weekly(1, 2, coverage, Pricing)).SessionsDetail;

        Assert.That((days[0].Copay, days[0].Deductible), Is.EqualTo((100m, 150m)));
        Assert.That((days[1].Copay, days[1].Deductible), Is.EqualTo((100m, 0m)), "cap used up by the deductible, copay still due");
    }

    [Test]
    public void The_copay_never_exceeds_the_allowed_amount()
    {
        var coverage = Requests.InNetwork() with { CopayPerDay = 500m };

        var day = CostEstimator.Estimate(Requests.Weekly(1, 1, coverage, Pricing)).SessionsDetail.Single();

        Assert.That((day.Copay, day.Payer), Is.EqualTo((400m, 0m)));
    }

    [Test]
    public void Family_out_of_pocket_caps_when_it_is_the_smaller_remainder()
    {
        var coverage = Requests.InNetwork() with
        {
            CoinsurancePercent = 50m,
            OutOfPocketMax = new OutOfPocketMax(6000m, 12000m),
            Accumulators = new Accumulators { OutOfPocketIndividualMet = 100m, OutOfPocketFamilyMet = 11700m },
        };

        var result = CostEstimator.Estimate(Requests.Weekly(1, 3, coverage, Pricing));

        Assert.That(result.SessionsDetail.Select(s => s.Coinsurance), Is.EqualTo(new[] { 200m, 100m, 0m }));
        Assert.That(result.Warnings, Does.Contain(EstimateWarnings.OutOfPocketMaxReached));
    }

    [Test]
    public void No_out_of_pocket_maximum_means_no_cap()
    {
        var coverage = Requests.InNetwork() with { CoinsurancePercent = 20m, OutOfPocketMax = null };

        var result = CostEstimator.Estimate(Requests.Weekly(52, 7, coverage, Pricing));

        Assert.That(result.Breakdown.Coinsurance, Is.EqualTo(364 * 80m));
        Assert.That(result.Warnings, Does.Not.Contain(EstimateWarnings.OutOfPocketMaxReached));
    }

    [Test]
    public void Days_after_coverage_ends_are_self_pay()
    {
        var coverage = Requests.InNetwork() with { CopayPerDay = 50m, CoverageEndDate = new DateOnly(2025, 3, 7) };
        var pricing = new Pricing(650m, 400m, SelfPayPerDay: 350m);

        var result = CostEstimator.Estimate(Requests.Weekly(2, 5, coverage, pricing));

        Assert.That(result.SessionsDetail.Count(s => s.Coverage == SessionCoverage.Covered), Is.EqualTo(5));
        Assert.That(result.SessionsDetail.Where(s => s.Date > new DateOnly(2025, 3, 7)).Select(s => s.Coverage),
            Is.All.EqualTo(SessionCoverage.SelfPayAfterCoverageEnds));
        Assert.That((result.Breakdown.Copay, result.Breakdown.SelfPay, result.Totals.Allowed), Is.EqualTo((250m, 1750m, 2000m)));
        Assert.That(result.Warnings, Is.EqualTo(new[] { EstimateWarnings.CoverageEnds }));
    }

    [Test]
    public void A_july_plan_year_does_not_reset_on_january_1()
    {
        // The reference's S07 under a July-1 plan year: the $100 left in the out-of-pocket maximum is all the patient pays.
        var @case = ReferenceCase.Load(Path.Combine(AppContext.BaseDirectory, "Cases", "S07-calendar-year-reset-crossing-jan-1.json"));
        var request = @case.Request with { Coverage = @case.Request.Coverage! with { PlanYearStart = new PlanYearStart(7, 1) } };

        var result = CostEstimator.Estimate(request);

        Assert.That(result.Totals.Patient, Is.EqualTo(100m));
        Assert.That(result.Warnings, Does.Not.Contain(EstimateWarnings.PlanYearReset));
    }

    [Test]
    public void A_plan_year_reset_also_resets_visits()
    {
        var coverage = Requests.InNetwork() with { CopayPerDay = 10m, VisitLimitPerPlanYear = 2 };
        var dates = new[] { new DateOnly(2025, 12, 29), new DateOnly(2025, 12, 30), new DateOnly(2025, 12, 31), new DateOnly(2026, 1, 2), new DateOnly(2026, 1, 3) };

        var result = CostEstimator.Estimate(Requests.OnDates(coverage, new Pricing(650m, 400m, 300m), dates));

        Assert.That(result.SessionsDetail.Select(s => s.Coverage), Is.EqualTo(new[]
        {
            SessionCoverage.Covered, SessionCoverage.Covered, SessionCoverage.SelfPayVisitLimitReached,
            SessionCoverage.Covered, SessionCoverage.Covered,
        }));
        Assert.That(result.Warnings, Is.EqualTo(new[] { EstimateWarnings.PlanYearReset, EstimateWarnings.VisitLimitReached }));
        Assert.That(result.Explanation, Does.Contain("January 1, 2026"));
    }

    [Test]
    public void Sessions_years_apart_reset_once_per_later_plan_year_seen()
    {
        var coverage = Requests.InNetwork() with
        {
            Deductible = new Deductible { Individual = 500m },
            Accumulators = new Accumulators { DeductibleIndividualMet = 500m },
        };
        var dates = new[] { new DateOnly(2025, 6, 2), new DateOnly(2028, 6, 5) };

        var result = CostEstimator.Estimate(Requests.OnDates(coverage, Pricing, dates));

        Assert.That(result.SessionsDetail.Select(s => s.Deductible), Is.EqualTo(new[] { 0m, 400m }));
    }

    [Test]
    public void The_self_pay_package_price_caps_self_pay_days_and_the_crossing_day_pays_the_rest()
    {
        var result = CostEstimator.Estimate(Requests.Weekly(1, 5, coverage: null, new Pricing(650m, SelfPayPerDay: 350m, SelfPayPackagePrice: 1000m)));

        Assert.That(result.SessionsDetail.Select(s => s.SelfPay), Is.EqualTo(new[] { 350m, 350m, 300m, 0m, 0m }));
        Assert.That(result.Warnings, Is.EqualTo(new[] { EstimateWarnings.SelfPay }));
        Assert.That(result.Explanation, Does.Contain("$1,000.00"));
    }

    [Test]
    public void Self_pay_defaults_to_the_charge()
    {
        var result = CostEstimator.Estimate(Requests.Weekly(1, 3, coverage: null, new Pricing(450m)));

        Assert.That((result.Totals.Patient, result.Totals.Charges, result.Totals.Allowed), Is.EqualTo((1350m, 1350m, 0m)));
    }

    [Test]
    public void Out_of_network_with_allowed_at_or_above_charge_has_no_balance_bill()
    {
        var coverage = Requests.InNetwork() with { Network = NetworkStatus.Out };

        var result = CostEstimator.Estimate(Requests.Weekly(1, 3, coverage, new Pricing(400m, 450m)));

        Assert.That(result.Breakdown.BalanceBill, Is.Zero);
        Assert.That(result.Warnings, Does.Not.Contain(EstimateWarnings.OutOfNetworkBalanceBilling));
    }

    [Test]
    public void Prior_authorization_is_warned_and_explained()
    {
        var coverage = Requests.InNetwork() with { PriorAuthorizationRequired = true };

        var result = CostEstimator.Estimate(Requests.Weekly(1, 3, coverage));

        Assert.That(result.Warnings, Is.EqualTo(new[] { EstimateWarnings.PriorAuthorizationRequired }));
        Assert.That(result.Explanation, Does.Contain("prior authorization"));
    }

    [Test]
    public void The_explanation_walks_through_the_total_with_its_figures()
    {
        var @case = ReferenceCase.Load(Path.Combine(AppContext.BaseDirectory, "Cases", "S03-oop-max-reached-mid-program.json"));

        var result = CostEstimator.Estimate(@case.Request);

        Assert.That(result.Explanation, Does.Contain("40 sessions from June 2, 2025 to July 25, 2025"));
        Assert.That(result.Explanation, Does.Contain("$2,500.00 of deductible"));
        Assert.That(result.Explanation, Does.Contain("30% of the allowed amount as coinsurance ($1,700.00 in all)"));
        Assert.That(result.Explanation, Does.Contain("out-of-pocket maximum is reached on June 19, 2025"));
        Assert.That(result.Explanation, Does.EndWith("you would pay about $4,200.00 and your plan about $19,800.00."));
        Assert.That(result.Disclaimer, Does.Contain("not a bill").And.Contain("Good Faith Estimate").And.Contain("$400"));
    }

    [Test]
    public void A_range_prices_the_shortest_and_longest_program_on_default_weekdays()
    {
        var request = Requests.Weekly(8, 3, Requests.InNetwork()) with
        {
            Program = new ProgramSchedule { StartDate = Requests.Monday, Weeks = 8, DaysPerWeek = 2, SessionWeekdays = [DayOfWeek.Saturday, DayOfWeek.Sunday] },
            Range = new ProgramRange(new IntRange(4, 6), new IntRange(1, 7)),
        };

        var result = CostEstimator.Estimate(request);

        Assert.That(result.Range, Is.Not.Null);
        Assert.That((result.Range!.Low.Sessions, result.Range.High.Sessions), Is.EqualTo((4, 42)));
        Assert.That(result.Range.Low.SessionsDetail.Select(s => s.Date.DayOfWeek), Is.All.EqualTo(DayOfWeek.Monday));
        Assert.That((result.Range.Low.Range, result.Range.High.Range), Is.EqualTo(((RangeEstimate?)null, (RangeEstimate?)null)));
    }

    [Test]
    public void A_range_bound_equal_to_the_program_is_the_program_estimate_and_others_are_priced_on_their_own()
    {
        var program = new ProgramSchedule { StartDate = Requests.Monday, Weeks = 12, DaysPerWeek = 5, ClosedDates = [Requests.Monday.AddDays(30)] };
        var request = Requests.Weekly(12, 5, Requests.InNetwork()) with { Program = program, Range = new ProgramRange(new IntRange(8, 12), new IntRange(3, 5)) };
        var alone = CostEstimator.Estimate(request with { Range = null });
        var low = CostEstimator.Estimate(request with { Program = program with { Weeks = 8, DaysPerWeek = 3 }, Range = null });

        var result = CostEstimator.Estimate(request);

        Assert.That(result.Range, Is.Not.Null);
        Assert.That(result.Range!.High.Range, Is.Null);
        Assert.That(result.Range.High with { Range = null }, Is.EqualTo(alone with { Range = null }).Using<EstimateResult>(SameEstimate));
        Assert.That(result with { Range = null }, Is.EqualTo(alone).Using<EstimateResult>(SameEstimate));
        Assert.That(result.Range.Low, Is.EqualTo(low).Using<EstimateResult>(SameEstimate));
    }

    [Test]
    public void Without_the_sessions_detail_every_other_figure_is_the_same()
    {
        var request = Requests.Weekly(12, 5, Requests.InNetwork()) with { Range = new ProgramRange(new IntRange(8, 12), new IntRange(3, 5)) };

        var full = CostEstimator.Estimate(request);
        var lean = CostEstimator.Estimate(request with { IncludeSessionsDetail = false });

        Assert.That(full.SessionsDetail, Has.Count.EqualTo(60));
        Assert.That((lean.SessionsDetail.Count, lean.Range!.Low.SessionsDetail.Count, lean.Range.High.SessionsDetail.Count), Is.EqualTo((0, 0, 0)));
        Assert.That(lean with { SessionsDetail = full.SessionsDetail, Range = null }, Is.EqualTo(full with { Range = null }).Using<EstimateResult>(SameEstimate));
        Assert.That(lean.Range.Low with { SessionsDetail = full.Range!.Low.SessionsDetail }, Is.EqualTo(full.Range.Low).Using<EstimateResult>(SameEstimate));
    }

    private static bool SameEstimate(EstimateResult a, EstimateResult b) =>
        a.Sessions == b.Sessions && a.FirstSession == b.FirstSession && a.LastSession == b.LastSession && a.Totals == b.Totals
        && a.Breakdown == b.Breakdown && a.Explanation == b.Explanation && a.Disclaimer == b.Disclaimer
        && a.Monthly.SequenceEqual(b.Monthly) && a.Warnings.SequenceEqual(b.Warnings) && a.SessionsDetail.SequenceEqual(b.SessionsDetail)
        && a.Range is null == b.Range is null;

    [Test]
    public void Result_lists_cannot_be_changed_through_a_cast()
    {
        var result = CostEstimator.Estimate(Requests.Weekly(2, 3, Requests.InNetwork() with { PriorAuthorizationRequired = true }));

        Assert.That(result.SessionsDetail, Is.Not.InstanceOf<SessionEstimate[]>());
        Assert.That(((IList<SessionEstimate>)result.SessionsDetail).IsReadOnly, Is.True);
        Assert.That(((IList<MonthlyEstimate>)result.Monthly).IsReadOnly, Is.True);
        Assert.That(((IList<string>)result.Warnings).IsReadOnly, Is.True);
    }
}
