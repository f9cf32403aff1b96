using System.Collections.ObjectModel;

namespace CoverageCheck.Estimator;

/// <summary>
/// Adjudicates one schedule, day by day, carrying the accumulators from one session to the next (the contract's
/// "Adjudication, session by session" and "Money" sections). One instance prices one schedule.
/// </summary>
internal sealed class Ledger
{
    // Inside the loop money is held as whole cents in long: exact, because every input amount is validated to whole
    // cents, and many times faster than decimal arithmetic. Coinsurance, the only product, is computed in decimal and
    // rounded half away from zero; results go back out as decimal with two decimal places.
    private const long NoCap = long.MaxValue;

    private readonly Pricing _pricing;
    private readonly Coverage? _coverage;
    private readonly long _charge;
    private readonly long _allowed;
    private readonly long _selfPayRate;
    private readonly long _balanceBill;
    private readonly DeductibleRule _deductibleRule;
    private readonly long _deductibleIndividual;
    private readonly long _deductibleFamily;
    private readonly long _outOfPocketIndividual;
    private readonly long _outOfPocketFamily;

    // Accumulators for the current plan year.
    private long _deductibleIndividualMet;
    private long _deductibleFamilyMet;
    private long _outOfPocketIndividualMet;
    private long _outOfPocketFamilyMet;
    private int _visitsUsed;
    private long _selfPayRunning;

    public Ledger(Pricing pricing, Coverage? coverage)
    {
        _pricing = pricing;
        _coverage = coverage;
        _charge = Cents(pricing.ChargePerDay);
        _allowed = Cents(pricing.EffectiveAllowedPerDay);
        _selfPayRate = Cents(pricing.EffectiveSelfPayPerDay);
        _balanceBill = coverage is { Network: NetworkStatus.Out } && _charge > _allowed ? _charge - _allowed : 0;
        _deductibleRule = coverage is null ? DeductibleRule.None : RuleFor(coverage.Deductible);
        if (coverage is not null)
        {
            // A missing amount never caps.
            _deductibleIndividual = Cents(coverage.Deductible.Individual) ?? NoCap;
            _deductibleFamily = Cents(coverage.Deductible.Family) ?? NoCap;
            _outOfPocketIndividual = Cents(coverage.OutOfPocketMax?.Individual) ?? NoCap;
            _outOfPocketFamily = Cents(coverage.OutOfPocketMax?.Family) ?? NoCap;
            var met = coverage.Accumulators;
            _deductibleIndividualMet = Cents(met.DeductibleIndividualMet);
            _deductibleFamilyMet = Cents(met.DeductibleFamilyMet);
            _outOfPocketIndividualMet = Cents(met.OutOfPocketIndividualMet);
            _outOfPocketFamilyMet = Cents(met.OutOfPocketFamilyMet);
            _visitsUsed = met.VisitsUsed;
        }
    }

    private enum DeductibleRule
    {
        None,
        Individual,
        Family,
        Embedded,
    }

    public EstimateResult Run(ReadOnlySpan<DateOnly> dates, bool sessionsDetail)
    {
        var coverage = _coverage;
        var active = coverage is { Status: CoverageStatus.Active };
        var coverageEnd = coverage?.CoverageEndDate?.DayNumber ?? int.MaxValue;
        var visitLimit = coverage?.VisitLimitPerPlanYear ?? int.MaxValue;
        var copayPerDay = Cents(coverage?.CopayPerDay ?? 0m);
        var copayCounts = coverage?.CopayCountsTowardOutOfPocket ?? true;
        var deductibleApplies = coverage?.Deductible.AppliesToService ?? false;
        var coinsurancePercent = coverage?.CoinsurancePercent ?? 0m;
        var hasOutOfPocketCap = _outOfPocketIndividual != NoCap || _outOfPocketFamily != NoCap;
        var planYearStart = coverage?.PlanYearStart ?? PlanYearStart.January1;
        var packagePrice = Cents(_pricing.SelfPayPackagePrice);

        var nextPlanYear = int.MaxValue;
        if (active && dates.Length > 0)
        {
            var beginning = planYearStart.PlanYearBeginning(dates[0]);
            nextPlanYear = new DateOnly(beginning.Year + 1, planYearStart.Month, planYearStart.Day).DayNumber;
        }

        var lines = sessionsDetail ? new SessionEstimate[dates.Length] : null;
        var monthly = new List<MonthlyEstimate>(MonthsSpanned(dates));
        var facts = new LedgerFacts();
        long charges = 0, allowedTotal = 0, copayTotal = 0, deductibleTotal = 0, coinsuranceTotal = 0,
            balanceTotal = 0, selfPayTotal = 0, patientTotal = 0, payerTotal = 0;

        // Coinsurance depends only on the amount left after copay and deductible; it repeats once the deductible is met.
        var lastCoinsuranceBase = -1L;
        var lastCoinsurance = 0L;

        var nextMonth = int.MinValue; // DayNumber of the first day of the month after the current row's month
        int monthSessions = 0, monthYear = 0, monthNumber = 0;
        long monthPatient = 0, monthPayer = 0;

        for (var i = 0; i < dates.Length; i++)
        {
            var date = dates[i];
            var dayNumber = date.DayNumber;
            SessionCoverage kind;
            if (coverage is null)
            {
                kind = SessionCoverage.SelfPayNoCoverage;
            }
            else if (!active)
            {
                kind = SessionCoverage.SelfPayCoverageInactive;
            }
            else if (dayNumber > coverageEnd)
            {
                kind = SessionCoverage.SelfPayAfterCoverageEnds;
            }
            else
            {
                if (dayNumber >= nextPlanYear)
                {
                    ResetAccumulators();
                    facts.FirstPlanYearReset ??= DateOnly.FromDayNumber(nextPlanYear);
                    facts.PlanYearResets++;
                    while (dayNumber >= nextPlanYear)
                    {
                        var start = DateOnly.FromDayNumber(nextPlanYear);
                        nextPlanYear = new DateOnly(start.Year + 1, planYearStart.Month, planYearStart.Day).DayNumber;
                    }
                }

                kind = _visitsUsed >= visitLimit ? SessionCoverage.SelfPayVisitLimitReached : SessionCoverage.Covered;
            }

            long allowed = 0, copay = 0, deductible = 0, coinsurance = 0, balanceBill = 0, selfPay = 0, patient, payer;
            if (kind == SessionCoverage.Covered)
            {
                allowed = _allowed;
                var copayDue = Math.Min(copayPerDay, allowed);
                var deductibleDue = deductibleApplies ? Math.Min(allowed - copayDue, DeductibleRemaining()) : 0;
                var coinsuranceBase = allowed - copayDue - deductibleDue;
                if (coinsuranceBase != lastCoinsuranceBase)
                {
                    lastCoinsuranceBase = coinsuranceBase;
                    lastCoinsurance = (long)Math.Round(coinsuranceBase * coinsurancePercent / 100m, 0, MidpointRounding.AwayFromZero);
                }

                // The out-of-pocket cap takes the day's cost share in order: copay, deductible, coinsurance.
                copay = copayDue;
                deductible = deductibleDue;
                coinsurance = lastCoinsurance;
                if (hasOutOfPocketCap)
                {
                    var remaining = OutOfPocketRemaining();
                    if (copayCounts)
                    {
                        copay = Math.Min(copayDue, remaining);
                        remaining -= copay;
                    }

                    deductible = Math.Min(deductibleDue, remaining);
                    remaining -= deductible;
                    coinsurance = Math.Min(lastCoinsurance, remaining);
                }

                var counted = (copayCounts ? copay : 0) + deductible + coinsurance;
                _deductibleIndividualMet += deductible;
                _deductibleFamilyMet += deductible;
                _outOfPocketIndividualMet += counted;
                _outOfPocketFamilyMet += counted;
                _visitsUsed++;
                facts.CoveredSessions++;
                if (hasOutOfPocketCap && facts.OutOfPocketMaxReachedOn is null && OutOfPocketRemaining() == 0)
                {
                    facts.OutOfPocketMaxReachedOn = date;
                }

                balanceBill = _balanceBill;
                var costShare = copay + deductible + coinsurance;
                patient = costShare + balanceBill;
                payer = allowed - costShare;
            }
            else
            {
                selfPay = _selfPayRate;
                if (packagePrice is { } package)
                {
                    var left = package - _selfPayRunning;
                    if (left <= selfPay)
                    {
                        selfPay = left > 0 ? left : 0;
                        facts.PackagePriceReachedOn ??= date;
                    }
                }

                _selfPayRunning += selfPay;
                facts.Count(kind, Money(selfPay));
                patient = selfPay;
                payer = 0;
            }

            if (lines is not null)
            {
                lines[i] = new SessionEstimate(
                    date,
                    kind,
                    Money(_charge),
                    Money(allowed),
                    Money(copay),
                    Money(deductible),
                    Money(coinsurance),
                    Money(balanceBill),
                    Money(selfPay),
                    Money(patient),
                    Money(payer));
            }

            charges += _charge;
            allowedTotal += allowed;
            copayTotal += copay;
            deductibleTotal += deductible;
            coinsuranceTotal += coinsurance;
            balanceTotal += balanceBill;
            selfPayTotal += selfPay;
            patientTotal += patient;
            payerTotal += payer;

            if (dayNumber >= nextMonth)
            {
                if (monthSessions > 0)
                {
                    monthly.Add(new MonthlyEstimate(monthYear, monthNumber, monthSessions, Money(monthPatient), Money(monthPayer)));
                }

                date.Deconstruct(out monthYear, out monthNumber, out _);
                nextMonth = new DateOnly(monthYear, monthNumber, 1).AddMonths(1).DayNumber;
                monthSessions = 0;
                monthPatient = 0;
                monthPayer = 0;
            }

            monthSessions++;
            monthPatient += patient;
            monthPayer += payer;
        }

        if (monthSessions > 0)
        {
            monthly.Add(new MonthlyEstimate(monthYear, monthNumber, monthSessions, Money(monthPatient), Money(monthPayer)));
        }

        var breakdown = new CostBreakdown(
            Money(copayTotal), Money(deductibleTotal), Money(coinsuranceTotal), Money(balanceTotal), Money(selfPayTotal));
        var totals = new EstimateTotals(Money(charges), Money(allowedTotal), Money(patientTotal), Money(payerTotal));
        var first = dates.Length > 0 ? dates[0] : (DateOnly?)null;
        var last = dates.Length > 0 ? dates[^1] : (DateOnly?)null;
        var warnings = Warnings(coverage, facts, balanceTotal);
        var context = new ExplanationContext(dates.Length, first, last, _pricing, coverage, totals, breakdown, facts);

        return new EstimateResult
        {
            Sessions = dates.Length,
            FirstSession = first,
            LastSession = last,
            Totals = totals,
            Breakdown = breakdown,
            // Read-only wrappers: a caller cannot cast a result's lists back to arrays and change them.
            Monthly = monthly.AsReadOnly(),
            Warnings = warnings.Length == 0 ? ReadOnlyCollection<string>.Empty : Array.AsReadOnly(warnings),
            SessionsDetail = lines is null ? ReadOnlyCollection<SessionEstimate>.Empty : Array.AsReadOnly(lines),
            Explanation = Explanation.Write(context),
            Disclaimer = Explanation.Disclaimer,
        };
    }

    /// <summary>Whole cents of an amount validated to have at most two decimal places.</summary>
    private static long Cents(decimal amount) => (long)(amount * 100m);

    private static long? Cents(decimal? amount) => amount is { } value ? Cents(value) : null;

    /// <summary>Cents back to decimal with exactly two decimal places (1200.00, not 1200).</summary>
    private static decimal Money(long cents) =>
        cents >= 0
            ? new decimal((int)cents, (int)(cents >> 32), 0, isNegative: false, scale: 2)
            : -new decimal((int)-cents, (int)(-cents >> 32), 0, isNegative: false, scale: 2);

    private static string[] Warnings(Coverage? coverage, LedgerFacts facts, long balanceBilled)
    {
        // Built in ordinal order of the codes, so the list is stable without sorting.
        Span<bool> raised =
        [
            facts.AfterCoverageEnds > 0,                                   // coverage-ends
            coverage is { Status: not CoverageStatus.Active },             // coverage-inactive
            balanceBilled > 0,                                             // out-of-network-balance-billing
            facts.OutOfPocketMaxReachedOn is not null,                     // out-of-pocket-max-reached
            facts.PlanYearResets > 0,                                      // plan-year-reset
            coverage is { PriorAuthorizationRequired: true },              // prior-authorization-required
            coverage is null,                                              // self-pay
            facts.VisitLimitReached > 0,                                   // visit-limit-reached
        ];
        ReadOnlySpan<string> codes =
        [
            EstimateWarnings.CoverageEnds,
            EstimateWarnings.CoverageInactive,
            EstimateWarnings.OutOfNetworkBalanceBilling,
            EstimateWarnings.OutOfPocketMaxReached,
            EstimateWarnings.PlanYearReset,
            EstimateWarnings.PriorAuthorizationRequired,
            EstimateWarnings.SelfPay,
            EstimateWarnings.VisitLimitReached,
        ];

        var count = 0;
        foreach (var on in raised)
        {
            count += on ? 1 : 0;
        }

        var warnings = count == 0 ? [] : new string[count];
        var next = 0;
        for (var i = 0; i < raised.Length; i++)
        {
            if (raised[i])
            {
                warnings[next++] = codes[i];
            }
        }

        return warnings;
    }

    private static int MonthsSpanned(ReadOnlySpan<DateOnly> dates) =>
        dates.Length == 0
            ? 0
            : ((dates[^1].Year - dates[0].Year) * 12) + dates[^1].Month - dates[0].Month + 1;

    private static DeductibleRule RuleFor(Deductible deductible) => (deductible.Individual, deductible.Family) switch
    {
        (not null, not null) when deductible.Embedded => DeductibleRule.Embedded,
        (_, not null) => DeductibleRule.Family,
        (not null, null) => DeductibleRule.Individual,
        _ => DeductibleRule.None,
    };

    private long DeductibleRemaining()
    {
        var remaining = _deductibleRule switch
        {
            DeductibleRule.Individual => _deductibleIndividual - _deductibleIndividualMet,
            DeductibleRule.Family => _deductibleFamily - _deductibleFamilyMet,
            DeductibleRule.Embedded => Math.Min(
                _deductibleIndividual - _deductibleIndividualMet,
                _deductibleFamily - _deductibleFamilyMet),
            _ => 0,
        };
        return remaining > 0 ? remaining : 0;
    }

    // Only called when at least one maximum is set; an unset one is NoCap and never the smaller.
    private long OutOfPocketRemaining()
    {
        var individual = _outOfPocketIndividual == NoCap ? NoCap : _outOfPocketIndividual - _outOfPocketIndividualMet;
        var family = _outOfPocketFamily == NoCap ? NoCap : _outOfPocketFamily - _outOfPocketFamilyMet;
        var remaining = individual < family ? individual : family;
        return remaining > 0 ? remaining : 0;
    }

    private void ResetAccumulators()
    {
        _deductibleIndividualMet = 0;
        _deductibleFamilyMet = 0;
        _outOfPocketIndividualMet = 0;
        _outOfPocketFamilyMet = 0;
        _visitsUsed = 0;
    }
}

/// <summary>What happened while pricing a schedule, for warnings and the explanation.</summary>
internal sealed class LedgerFacts
{
    public int CoveredSessions { get; set; }

    public int PlanYearResets { get; set; }

    public DateOnly? FirstPlanYearReset { get; set; }

    public DateOnly? OutOfPocketMaxReachedOn { get; set; }

    public DateOnly? PackagePriceReachedOn { get; set; }

    public int SelfPaySessions { get; private set; }

    public int AfterCoverageEnds { get; private set; }

    public decimal AfterCoverageEndsAmount { get; private set; }

    public int VisitLimitReached { get; private set; }

    public decimal VisitLimitReachedAmount { get; private set; }

    public void Count(SessionCoverage kind, decimal amount)
    {
        SelfPaySessions++;
        if (kind == SessionCoverage.SelfPayAfterCoverageEnds)
        {
            AfterCoverageEnds++;
            AfterCoverageEndsAmount += amount;
        }
        else if (kind == SessionCoverage.SelfPayVisitLimitReached)
        {
            VisitLimitReached++;
            VisitLimitReachedAmount += amount;
        }
    }
}
