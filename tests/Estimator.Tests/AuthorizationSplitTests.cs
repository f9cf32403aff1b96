namespace CoverageCheck.Estimator.Tests;

/// <summary>
/// Issue #17: the program split by its authorisations. The plan: $1,000 deductible, then 20 % of a $400 allowed day, so
/// the ten sessions of 3–14 March 2025 cost the patient 400, 400, 240 (200 deductible + 40), then 80 a day: $1,600.
/// </summary>
public sealed class AuthorizationSplitTests
{
    private static readonly DateOnly March3 = new(2025, 3, 3);

    private static readonly Coverage Plan = Requests.InNetwork() with
    {
        Deductible = new Deductible { Individual = 1000m, AppliesToService = true },
        CoinsurancePercent = 20m,
    };

    private static EstimateResult Split(params Authorization[] authorizations) =>
        CostEstimator.Estimate(Requests.Weekly(2, 5, Plan) with { Authorizations = authorizations, IncludeSessionsDetail = false });

    private static Authorization Approved(int days, DateOnly from, DateOnly to) => new(AuthorizationStatus.Approved, days, from, to);

    [Test]
    public void Without_authorizations_there_is_no_split_and_no_authorization_warning()
    {
        var result = CostEstimator.Estimate(Requests.Weekly(2, 5, Plan));

        Assert.That(result.Authorization, Is.Null);
        Assert.That(result.Totals.Patient, Is.EqualTo(1600m), "the plan as described above");
    }

    [Test]
    public void Five_approved_days_cover_the_first_five_sessions_and_the_rest_are_beyond()
    {
        var result = Split(Approved(5, March3, new DateOnly(2025, 3, 31)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(5, 5, 1200m, 1600m)), "400 + 400 + 240 + 80 + 80");
        Assert.That(result.Warnings, Does.Contain(EstimateWarnings.BeyondAuthorization).And.Not.Contain(EstimateWarnings.AuthorizationDenied));
        Assert.That(result.Totals.Patient, Is.EqualTo(1600m), "the totals stay those of the whole program (as if extended)");
        Assert.That(result.SessionsDetail, Is.Empty, "the ledger was only built for the split, not asked for");
    }

    [Test]
    public void A_partial_authorization_starting_mid_week_takes_its_days_in_date_order_from_its_effective_date()
    {
        var result = Split(new Authorization(AuthorizationStatus.Partial, 3, new DateOnly(2025, 3, 5), new DateOnly(2025, 3, 31)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(3, 7, 400m, 1600m)), "5, 6 and 7 March: 240 + 80 + 80");
    }

    [Test]
    public void A_denied_authorization_leaves_every_session_beyond_with_the_denied_warning_only()
    {
        var result = Split(new Authorization(AuthorizationStatus.Denied, 10, March3, new DateOnly(2025, 3, 31)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(0, 10, 0m, 1600m)));
        Assert.That(result.Warnings, Does.Contain(EstimateWarnings.AuthorizationDenied).And.Not.Contain(EstimateWarnings.BeyondAuthorization));
    }

    [Test]
    public void An_authorization_whose_dates_are_outside_the_program_authorizes_nothing()
    {
        var result = Split(Approved(10, new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(0, 10, 0m, 1600m)));
        Assert.That(result.Warnings, Does.Contain(EstimateWarnings.BeyondAuthorization));
    }

    [Test]
    public void An_authorization_that_expires_mid_program_stops_at_its_expiry_even_with_days_left()
    {
        var result = Split(Approved(20, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 6)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(4, 6, 1120m, 1600m)), "3–6 March: 400 + 400 + 240 + 80");
    }

    [Test]
    public void Enough_days_over_the_whole_program_authorize_everything_with_no_warning()
    {
        var result = Split(Approved(30, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(10, 0, 1600m, 1600m)));
        Assert.That(result.Warnings, Does.Not.Contain(EstimateWarnings.BeyondAuthorization));
    }

    [Test]
    public void An_extension_after_the_initial_authorization_adds_its_days_without_counting_a_session_twice()
    {
        var result = Split(
            Approved(5, new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 21)),
            Approved(5, March3, new DateOnly(2025, 3, 14)));

        // The initial one (from 3 March) takes 3–7 March, the extension 10–14 March; neither takes a day twice.
        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(10, 0, 1600m, 1600m)));
    }

    [Test]
    public void A_denied_extension_after_an_approved_start_raises_both_warnings()
    {
        var result = Split(
            Approved(5, March3, new DateOnly(2025, 3, 7)),
            new Authorization(AuthorizationStatus.Denied, 5, new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 14)));

        Assert.That(result.Authorization, Is.EqualTo(new AuthorizationSplit(5, 5, 1200m, 1600m)));
        Assert.That(result.Warnings, Does.Contain(EstimateWarnings.BeyondAuthorization).And.Contain(EstimateWarnings.AuthorizationDenied));
    }

    [Test]
    public void The_patient_within_is_a_sum_of_the_per_session_rounded_amounts()
    {
        // 300.20 × 12.5 % = 37.525 → 37.53 a day; three days 112.59, not 3 × 37.525 = 112.575 rounded.
        var coverage = Requests.InNetwork() with { CoinsurancePercent = 12.5m };
        var request = Requests.Weekly(1, 5, coverage, new Pricing(650m, 300.20m)) with
        {
            Authorizations = [Approved(3, March3, new DateOnly(2025, 3, 31))],
        };

        var result = CostEstimator.Estimate(request);

        Assert.That(result.Authorization!.PatientWithinAuthorization, Is.EqualTo(112.59m));
        Assert.That(result.Authorization.PatientIfExtended, Is.EqualTo(187.65m));
        Assert.That(result.SessionsDetail, Has.Count.EqualTo(5), "asked for, so kept");
    }

    [Test]
    public void Bad_authorizations_are_named_by_field()
    {
        var request = Requests.Weekly(2, 5, Plan) with
        {
            Authorizations = [new Authorization(AuthorizationStatus.Approved, -1, new DateOnly(2025, 3, 10), new DateOnly(2025, 3, 9))],
        };

        var errors = request.Validate();

        Assert.That(errors.Keys, Is.EquivalentTo(new[] { "authorizations[0].days", "authorizations[0].expirationDate" }));
    }

    [Test]
    public void The_first_session_follows_the_schedule_rules()
    {
        // A program that may start on a Saturday at 5 days a week first meets on the Monday.
        Assert.That(CostEstimator.FirstSession(new ProgramSchedule { StartDate = new DateOnly(2025, 3, 1), Weeks = 8, DaysPerWeek = 5 }),
            Is.EqualTo(March3));
    }
}
