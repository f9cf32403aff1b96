namespace CoverageCheck.Estimator.Tests;

public sealed class ValidationTests
{
    private static readonly Pricing Pricing = new(650m, 400m);

    public static IEnumerable<TestCaseData> BrokenRequests()
    {
        var valid = Requests.Weekly(8, 3, Requests.InNetwork());
        TestCaseData Case(string field, EstimateRequest request) => new TestCaseData(request, field).SetArgDisplayNames(field);

        yield return Case("program.weeks", valid with { Program = valid.Program with { Weeks = 0 } });
        yield return Case("program.weeks", valid with { Program = valid.Program with { Weeks = 53 } });
        yield return Case("program.weeks", valid with { Program = valid.Program with { Weeks = null } });
        yield return Case("program.daysPerWeek", valid with { Program = valid.Program with { DaysPerWeek = 8 } });
        yield return Case("program.daysPerWeek", valid with { Program = valid.Program with { DaysPerWeek = 0 } });
        yield return Case("program.startDate", valid with { Program = valid.Program with { StartDate = null } });
        yield return Case("program.sessionWeekdays", valid with { Program = valid.Program with { SessionWeekdays = [] } });
        yield return Case("program.sessionWeekdays", valid with { Program = valid.Program with { SessionWeekdays = [DayOfWeek.Monday, DayOfWeek.Monday] } });
        yield return Case("program.sessionWeekdays", valid with { Program = valid.Program with { SessionWeekdays = [(DayOfWeek)9] } });
        yield return Case("program.sessionDates", valid with { Program = new ProgramSchedule { SessionDates = [] } });
        yield return Case("program.sessionDates", valid with { Program = new ProgramSchedule { SessionDates = [Requests.Monday, Requests.Monday] } });
        yield return Case("program.sessionDates", valid with
        {
            Program = new ProgramSchedule { SessionDates = Enumerable.Range(0, 367).Select(Requests.Monday.AddDays).ToArray() },
        });
        yield return Case("program.sessionDates", valid with
        {
            Program = new ProgramSchedule { StartDate = Requests.Monday, SessionDates = [Requests.Monday.AddDays(-1)] },
        });
        yield return Case("pricing.chargePerDay", valid with { Pricing = new Pricing(-1m) });
        yield return Case("pricing.chargePerDay", valid with { Pricing = new Pricing(650.005m) });
        yield return Case("pricing.allowedPerDay", valid with { Pricing = Pricing with { AllowedPerDay = -0.01m } });
        yield return Case("pricing.selfPayPerDay", valid with { Pricing = Pricing with { SelfPayPerDay = -5m } });
        yield return Case("pricing.selfPayPackagePrice", valid with { Pricing = Pricing with { SelfPayPackagePrice = 1_000_000_000m } });
        yield return Case("coverage.coinsurancePercent", valid with { Coverage = valid.Coverage! with { CoinsurancePercent = 100.5m } });
        yield return Case("coverage.coinsurancePercent", valid with { Coverage = valid.Coverage! with { CoinsurancePercent = -1m } });
        yield return Case("coverage.copayPerDay", valid with { Coverage = valid.Coverage! with { CopayPerDay = -50m } });
        yield return Case("coverage.status", valid with { Coverage = valid.Coverage! with { Status = (CoverageStatus)7 } });
        yield return Case("coverage.network", valid with { Coverage = valid.Coverage! with { Network = (NetworkStatus)7 } });
        yield return Case("coverage.deductible.family", valid with { Coverage = valid.Coverage! with { Deductible = new Deductible { Family = -1m } } });
        yield return Case("coverage.outOfPocketMax.individual", valid with { Coverage = valid.Coverage! with { OutOfPocketMax = new OutOfPocketMax(-1m) } });
        yield return Case("coverage.visitLimitPerPlanYear", valid with { Coverage = valid.Coverage! with { VisitLimitPerPlanYear = -1 } });
        yield return Case("coverage.accumulators.visitsUsed", valid with { Coverage = valid.Coverage! with { Accumulators = new Accumulators { VisitsUsed = -1 } } });
        yield return Case("coverage.accumulators.outOfPocketFamilyMet", valid with { Coverage = valid.Coverage! with { Accumulators = new Accumulators { OutOfPocketFamilyMet = -1m } } });
        yield return Case("range.weeks", valid with { Range = new ProgramRange(new IntRange(12, 8), new IntRange(3, 5)) });
        yield return Case("range.weeks.max", valid with { Range = new ProgramRange(new IntRange(8, 60), new IntRange(3, 5)) });
        yield return Case("range.daysPerWeek.min", valid with { Range = new ProgramRange(new IntRange(8, 12), new IntRange(0, 5)) });
    }

    [TestCaseSource(nameof(BrokenRequests))]
    public void Each_broken_rule_is_named_by_its_wire_field(EstimateRequest request, string field)
    {
        var errors = request.Validate();

        Assert.That(errors.Keys, Is.EqualTo(new[] { field }));
        Assert.That(errors[field], Is.Not.Empty.And.All.Not.Empty);
        Assert.That(() => CostEstimator.Estimate(request), Throws.ArgumentException.With.Message.Contains(field));
    }

    [Test]
    public void Every_bad_field_is_named_at_once()
    {
        var request = new EstimateRequest
        {
            Program = new ProgramSchedule { StartDate = Requests.Monday, Weeks = 60, DaysPerWeek = 9 },
            Pricing = new Pricing(-650m),
            Coverage = new Coverage { CoinsurancePercent = 120m },
        };

        var errors = CostEstimator.Validate(request);

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "program.weeks", "program.daysPerWeek", "pricing.chargePerDay", "coverage.coinsurancePercent" }));
    }

    [Test]
    public void TryEstimate_returns_the_errors_of_a_bad_request_and_the_estimate_of_a_good_one()
    {
        var bad = Requests.Weekly(0, 9, Requests.InNetwork());
        var good = Requests.Weekly(12, 5, Requests.InNetwork());

        Assert.That(CostEstimator.TryEstimate(bad, out var none, out var errors), Is.False);
        Assert.That(none, Is.Null);
        Assert.That(errors.Keys, Is.EquivalentTo(CostEstimator.Validate(bad).Keys));
        Assert.That(errors, Is.Not.Empty);
        Assert.Throws<ArgumentException>(() => CostEstimator.Estimate(bad));

        Assert.That(CostEstimator.TryEstimate(good, out var result, out var noErrors), Is.True);
        Assert.That(noErrors, Is.Empty);
        Assert.That((result!.Totals, result.Explanation), Is.EqualTo((CostEstimator.Estimate(good).Totals, CostEstimator.Estimate(good).Explanation)));
    }

    [Test]
    public void A_valid_request_has_no_errors()
    {
        Assert.That(Requests.Weekly(12, 5, Requests.InNetwork()).Validate(), Is.Empty);
    }

    [Test]
    public void Explicit_session_dates_need_no_weeks_or_start()
    {
        var request = Requests.OnDates(null, Pricing, Requests.Monday);

        Assert.That(request.Validate(), Is.Empty);
    }

    [Test]
    public void A_range_needs_a_start_date_even_with_explicit_dates()
    {
        var request = Requests.OnDates(null, Pricing, Requests.Monday) with { Range = new ProgramRange(new IntRange(8, 12), new IntRange(3, 5)) };

        Assert.That(request.Validate().Keys, Is.EqualTo(new[] { "program.startDate" }));
    }

    [TestCase("01-01", 1, 1)]
    [TestCase("07-01", 7, 1)]
    [TestCase("12-31", 12, 31)]
    public void Plan_year_start_parses_month_and_day(string text, int month, int day)
    {
        Assert.That(PlanYearStart.TryParse(text, out var start), Is.True);
        Assert.That((start.Month, start.Day, start.ToString()), Is.EqualTo((month, day, text)));
    }

    [TestCase("02-29")]
    [TestCase("13-01")]
    [TestCase("00-10")]
    [TestCase("1-1")]
    [TestCase("01/01")]
    [TestCase("04-31")]
    [TestCase("")]
    [TestCase(null)]
    public void Plan_year_start_rejects_days_that_do_not_occur_every_year(string? text)
    {
        Assert.That(PlanYearStart.TryParse(text, out _), Is.False);
    }

    [Test]
    public void The_default_plan_year_start_is_january_1()
    {
        Assert.That(default(PlanYearStart).PlanYearBeginning(new DateOnly(2025, 6, 1)), Is.EqualTo(new DateOnly(2025, 1, 1)));
        Assert.That(new PlanYearStart(7, 1).PlanYearBeginning(new DateOnly(2025, 6, 30)), Is.EqualTo(new DateOnly(2024, 7, 1)));
    }
}
