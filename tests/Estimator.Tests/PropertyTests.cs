using System.Globalization;
using CsCheck;

namespace CoverageCheck.Estimator.Tests;

/// <summary>Properties that hold for every valid request, checked over random ones with CsCheck.</summary>
public sealed class PropertyTests
{
    private const long Iterations = 2_000;

    private static readonly Gen<decimal> Cents = Gen.Int[0, 120_000].Select(c => c / 100m);

    private static readonly Gen<decimal?> OptionalCents = Gen.Frequency(
        (1, Gen.Const((decimal?)null)),
        (3, Gen.Int[0, 1_500_000].Select(c => (decimal?)(c / 100m))));

    private static readonly Gen<DateOnly> Dates = Gen.Int[0, 4 * 366].Select(d => new DateOnly(2024, 1, 1).AddDays(d));

    private static readonly Gen<ProgramSchedule> Schedules =
        from start in Dates
        from weeks in Gen.Int[1, 16]
        from days in Gen.Int[1, 7]
        from weekdays in Gen.Frequency(
            (3, Gen.Const((DayOfWeek[]?)null)),
            (1, Gen.Int[1, 127].Select(mask => (DayOfWeek[]?)Enumerable.Range(0, 7).Where(d => (mask & (1 << d)) != 0).Select(d => (DayOfWeek)d).ToArray())))
        from closed in Gen.Int[0, 120].Array[0, 6]
        select new ProgramSchedule
        {
            StartDate = start,
            Weeks = weeks,
            DaysPerWeek = days,
            SessionWeekdays = weekdays,
            ClosedDates = closed.Select(offset => start.AddDays(offset)).ToArray(),
        };

    private static readonly Gen<Pricing> Prices =
        from charge in Gen.Int[1, 120_000].Select(c => c / 100m)
        from allowed in OptionalCents
        from selfPay in OptionalCents
        from package in Gen.Frequency((3, Gen.Const((decimal?)null)), (1, Gen.Int[0, 2_000_000].Select(c => (decimal?)(c / 100m))))
        select new Pricing(charge, allowed, selfPay, package);

    private static readonly Gen<Coverage> Coverages =
        from active in Gen.Frequency((9, Gen.Const(CoverageStatus.Active)), (1, Gen.Const(CoverageStatus.Inactive)))
        from network in Gen.OneOf(NetworkStatus.In, NetworkStatus.Out)
        from month in Gen.Int[1, 12]
        from day in Gen.Int[1, 28]
        from end in Gen.Frequency((3, Gen.Const((int?)null)), (1, Gen.Int[0, 200].Select(d => (int?)d)))
        from individual in OptionalCents
        from family in OptionalCents
        from embedded in Gen.Bool
        from applies in Gen.Bool
        from copay in Gen.Frequency((1, Gen.Const(0m)), (1, Gen.Int[0, 20_000].Select(c => c / 100m)))
        from copayCounts in Gen.Bool
        from coinsurance in Gen.Int[0, 1000].Select(p => p / 10m)
        from oopIndividual in OptionalCents
        from oopFamily in OptionalCents
        from limit in Gen.Frequency((2, Gen.Const((int?)null)), (1, Gen.Int[0, 60].Select(v => (int?)v)))
        from met in Gen.Int[0, 1_000_000].Array[4]
        from visitsUsed in Gen.Int[0, 40]
        select new Coverage
        {
            Status = active,
            Network = network,
            PlanYearStart = new PlanYearStart(month, day),
            CoverageEndDate = end is { } e ? new DateOnly(2024, 1, 1).AddDays(e * 7) : null,
            Deductible = new Deductible { Individual = individual, Family = family, Embedded = embedded, AppliesToService = applies },
            CopayPerDay = copay,
            CopayCountsTowardOutOfPocket = copayCounts,
            CoinsurancePercent = coinsurance,
            OutOfPocketMax = oopIndividual is null && oopFamily is null ? null : new OutOfPocketMax(oopIndividual, oopFamily),
            VisitLimitPerPlanYear = limit,
            Accumulators = new Accumulators
            {
                DeductibleIndividualMet = met[0] / 100m,
                DeductibleFamilyMet = met[1] / 100m,
                OutOfPocketIndividualMet = met[2] / 100m,
                OutOfPocketFamilyMet = met[3] / 100m,
                VisitsUsed = visitsUsed,
            },
        };

    private static readonly Gen<EstimateRequest> ValidRequests =
        from program in Schedules
        from pricing in Prices
        from coverage in Gen.Frequency((1, Gen.Const((Coverage?)null)), (6, Coverages.Select(c => (Coverage?)c)))
        select new EstimateRequest { Program = program, Pricing = pricing, Coverage = coverage };

    [Test]
    public void Generated_requests_are_valid()
    {
        ValidRequests.Sample(request => request.Validate().Count == 0, iter: Iterations);
    }

    [Test]
    public void On_every_covered_day_cost_share_plus_payer_equals_allowed()
    {
        ValidRequests.Sample(request => CostEstimator.Estimate(request).SessionsDetail.All(day =>
            day.Coverage != SessionCoverage.Covered
            || (day.Copay + day.Deductible + day.Coinsurance + day.Payer == day.Allowed && day.Allowed == request.Pricing.EffectiveAllowedPerDay)),
            iter: Iterations);
    }

    [Test]
    public void Every_day_adds_up_and_no_amount_is_negative()
    {
        ValidRequests.Sample(request => CostEstimator.Estimate(request).SessionsDetail.All(day =>
            day.Patient == day.Copay + day.Deductible + day.Coinsurance + day.BalanceBill + day.SelfPay
            && day.Copay >= 0 && day.Deductible >= 0 && day.Coinsurance >= 0 && day.BalanceBill >= 0 && day.SelfPay >= 0 && day.Payer >= 0
            && (day.Coverage == SessionCoverage.Covered || (day.Allowed == 0 && day.Payer == 0 && day.Copay + day.Deductible + day.Coinsurance + day.BalanceBill == 0))),
            iter: Iterations);
    }

    [Test]
    public void The_patient_never_pays_more_cost_share_in_a_plan_year_than_the_out_of_pocket_remaining()
    {
        var capped = ValidRequests.Where(r => r.Coverage is { Status: CoverageStatus.Active, CopayCountsTowardOutOfPocket: true, OutOfPocketMax: not null });
        capped.Sample(request =>
        {
            var coverage = request.Coverage!;
            var result = CostEstimator.Estimate(request);
            if (result.Sessions == 0)
            {
                return true;
            }

            var firstYear = coverage.PlanYearStart.PlanYearBeginning(result.FirstSession!.Value);
            return result.SessionsDetail
                .Where(day => day.Coverage == SessionCoverage.Covered)
                .GroupBy(day => coverage.PlanYearStart.PlanYearBeginning(day.Date))
                .All(year =>
                {
                    var alreadyMet = year.Key == firstYear;
                    var remaining = Math.Min(
                        Remaining(coverage.OutOfPocketMax!.Individual, alreadyMet ? coverage.Accumulators.OutOfPocketIndividualMet : 0m),
                        Remaining(coverage.OutOfPocketMax.Family, alreadyMet ? coverage.Accumulators.OutOfPocketFamilyMet : 0m));
                    return year.Sum(day => day.Copay + day.Deductible + day.Coinsurance) <= remaining;
                });
        }, iter: Iterations);

        static decimal Remaining(decimal? max, decimal met) => max is { } m ? Math.Max(0m, m - met) : decimal.MaxValue;
    }

    [Test]
    public void Adding_sessions_never_lowers_the_patient_total()
    {
        ValidRequests.Where(r => r.Program.Weeks < 52).Sample(request =>
        {
            var shorter = CostEstimator.Estimate(request);
            var longer = CostEstimator.Estimate(request with { Program = request.Program with { Weeks = request.Program.Weeks + 1 } });
            return longer.Totals.Patient >= shorter.Totals.Patient
                && longer.Sessions > shorter.Sessions
                && longer.SessionsDetail.Take(shorter.Sessions).SequenceEqual(shorter.SessionsDetail);
        }, iter: Iterations);
    }

    [Test]
    public void Monthly_rows_and_the_breakdown_sum_to_the_totals()
    {
        ValidRequests.Sample(request =>
        {
            var result = CostEstimator.Estimate(request);
            var b = result.Breakdown;
            return result.Monthly.Sum(m => m.Sessions) == result.Sessions
                && result.Monthly.Sum(m => m.Patient) == result.Totals.Patient
                && result.Monthly.Sum(m => m.Payer) == result.Totals.Payer
                && b.Copay + b.Deductible + b.Coinsurance + b.BalanceBill + b.SelfPay == result.Totals.Patient
                && result.SessionsDetail.Sum(d => d.Charge) == result.Totals.Charges
                && result.Totals.Allowed == result.Totals.Payer + b.Copay + b.Deductible + b.Coinsurance
                && result.Monthly.Select(m => (m.Year * 12) + m.Month).SequenceEqual(
                    result.SessionsDetail.Select(d => (d.Date.Year * 12) + d.Date.Month).Distinct().Order());
        }, iter: Iterations);
    }

    [Test]
    public void Results_do_not_depend_on_the_current_culture()
    {
        string[] cultures = ["en-US", "de-DE", "fr-FR", "ar-SA", "th-TH", "tr-TR", "ja-JP", "hi-IN"];
        ValidRequests.Sample(request =>
        {
            var original = CultureInfo.CurrentCulture;
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
                var baseline = Fingerprint(CostEstimator.Estimate(request));
                foreach (var name in cultures)
                {
                    CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(name);
                    if (Fingerprint(CostEstimator.Estimate(request)) != baseline)
                    {
                        return false;
                    }
                }

                return true;
            }
            finally
            {
                CultureInfo.CurrentCulture = original;
            }
        }, iter: 300);
    }

    [Test]
    [SetCulture("de-DE")]
    public void The_explanation_is_plain_invariant_english()
    {
        var result = CostEstimator.Estimate(Requests.Weekly(8, 3, Requests.InNetwork() with { CopayPerDay = 1234.5m }, new Pricing(2500m, 2000m)));

        Assert.That(result.Explanation, Does.Contain("$1,234.50").And.Contain("March 3, 2025"));
    }

    // Formatted invariantly by hand: a record's ToString would format its decimals in the current culture.
    private static string Fingerprint(EstimateResult result)
    {
        var t = result.Totals;
        var b = result.Breakdown;
        return string.Join(
            "|",
            FormattableString.Invariant($"{t.Charges} {t.Allowed} {t.Patient} {t.Payer}"),
            FormattableString.Invariant($"{b.Copay} {b.Deductible} {b.Coinsurance} {b.BalanceBill} {b.SelfPay}"),
            string.Join(";", result.Monthly.Select(m => FormattableString.Invariant($"{m.Year}-{m.Month} {m.Sessions} {m.Patient} {m.Payer}"))),
            string.Join(";", result.Warnings),
            string.Join(";", result.SessionsDetail.Select(d => FormattableString.Invariant($"{d.Date.DayNumber} {d.Coverage} {d.Patient} {d.Payer} {d.Allowed}"))),
            result.Explanation,
            result.Disclaimer);
    }
}
