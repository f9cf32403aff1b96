namespace CoverageCheck.Estimator;

/// <summary>
/// Adjudicates one schedule, day by day, carrying the accumulators from one session to the next (the contract's
/// "Adjudication, session by session" and "Money" sections). One instance prices one schedule.
/// </summary>
internal sealed class Ledger
{
    private readonly Pricing _pricing;
    private readonly Coverage? _coverage;
    private readonly decimal _charge;
    private readonly decimal _allowed;
    private readonly decimal _selfPayRate;
    private readonly decimal _balanceBill;
    private readonly DeductibleRule _deductibleRule;
    private readonly decimal _deductibleIndividual;
    private readonly decimal _deductibleFamily;
    private readonly decimal _outOfPocketIndividual;
    private readonly decimal _outOfPocketFamily;

    // Accumulators for the current plan year.
    private decimal _deductibleIndividualMet;
    private decimal _deductibleFamilyMet;
    private decimal _outOfPocketIndividualMet;
    private decimal _outOfPocketFamilyMet;
    private int _visitsUsed;
    private decimal _selfPayRunning;

    public Ledger(Pricing pricing, Coverage? coverage)
    {
        _pricing = pricing;
        _coverage = coverage;
        _charge = pricing.ChargePerDay;
        _allowed = pricing.EffectiveAllowedPerDay;
        _selfPayRate = pricing.EffectiveSelfPayPerDay;
        _balanceBill = coverage is { Network: NetworkStatus.Out } && _charge > _allowed ? _charge - _allowed : 0m;
        _deductibleRule = coverage is null ? DeductibleRule.None : RuleFor(coverage.Deductible);
        if (coverage is not null)
        {
            // A missing amount never caps: MaxValue keeps the hot loop free of nullable checks.
            _deductibleIndividual = coverage.Deductible.Individual ?? decimal.MaxValue;
            _deductibleFamily = coverage.Deductible.Family ?? decimal.MaxValue;
            _outOfPocketIndividual = coverage.OutOfPocketMax?.Individual ?? decimal.MaxValue;
            _outOfPocketFamily = coverage.OutOfPocketMax?.Family ?? decimal.MaxValue;
            var met = coverage.Accumulators;
            _deductibleIndividualMet = met.DeductibleIndividualMet;
            _deductibleFamilyMet = met.DeductibleFamilyMet;
            _outOfPocketIndividualMet = met.OutOfPocketIndividualMet;
            _outOfPocketFamilyMet = met.OutOfPocketFamilyMet;
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

    public EstimateResult Run(ReadOnlySpan<DateOnly> dates, RangeEstimate? range)
    {
        var coverage = _coverage;
        var active = coverage is { Status: CoverageStatus.Active };
        var coverageEnd = coverage?.CoverageEndDate?.DayNumber ?? int.MaxValue;
        var visitLimit = coverage?.VisitLimitPerPlanYear ?? int.MaxValue;
        var copayPerDay = coverage?.CopayPerDay ?? 0m;
        var copayCounts = coverage?.CopayCountsTowardOutOfPocket ?? true;
        var deductibleApplies = coverage?.Deductible.AppliesToService ?? false;
        var coinsuranceRate = (coverage?.CoinsurancePercent ?? 0m) / 100m;
        var hasOutOfPocketCap = coverage?.OutOfPocketMax is { } cap && (cap.Individual is not null || cap.Family is not null);
        var planYearStart = coverage?.PlanYearStart ?? PlanYearStart.January1;
        var packagePrice = _pricing.SelfPayPackagePrice;

        var nextPlanYear = int.MaxValue;
        if (active && dates.Length > 0)
        {
            var beginning = planYearStart.PlanYearBeginning(dates[0]);
            nextPlanYear = new DateOnly(beginning.Year + 1, planYearStart.Month, planYearStart.Day).DayNumber;
        }

        var lines = new SessionEstimate[dates.Length];
        var monthly = new List<MonthlyEstimate>(MonthsSpanned(dates));
        var facts = new LedgerFacts();
        decimal charges = 0, allowedTotal = 0, copayTotal = 0, deductibleTotal = 0, coinsuranceTotal = 0,
            balanceTotal = 0, selfPayTotal = 0, patientTotal = 0, payerTotal = 0;

        // Coinsurance depends only on the amount left after copay and deductible; it repeats once the deductible is met.
        var lastCoinsuranceBase = -1m;
        var lastCoinsurance = 0m;

        var nextMonth = int.MinValue; // DayNumber of the first day of the month after the current row's month
        int monthSessions = 0, monthYear = 0, monthNumber = 0;
        decimal monthPatient = 0, monthPayer = 0;

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

            decimal allowed = 0, copay = 0, deductible = 0, coinsurance = 0, balanceBill = 0, selfPay = 0, patient, payer;
            if (kind == SessionCoverage.Covered)
            {
                allowed = _allowed;
                var copayDue = Math.Min(copayPerDay, allowed);
                var deductibleDue = deductibleApplies ? Math.Min(allowed - copayDue, DeductibleRemaining()) : 0m;
                var coinsuranceBase = allowed - copayDue - deductibleDue;
                if (coinsuranceBase != lastCoinsuranceBase)
                {
                    lastCoinsuranceBase = coinsuranceBase;
                    lastCoinsurance = Math.Round(coinsuranceBase * coinsuranceRate, 2, MidpointRounding.AwayFromZero);
                }

                var coinsuranceDue = lastCoinsurance;

                // The out-of-pocket cap takes the day's cost share in order: copay, deductible, coinsurance.
                copay = copayDue;
                deductible = deductibleDue;
                coinsurance = coinsuranceDue;
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
                    coinsurance = Math.Min(coinsuranceDue, remaining);
                }

                var counted = (copayCounts ? copay : 0m) + deductible + coinsurance;
                _deductibleIndividualMet += deductible;
                _deductibleFamilyMet += deductible;
                _outOfPocketIndividualMet += counted;
                _outOfPocketFamilyMet += counted;
                _visitsUsed++;
                facts.CoveredSessions++;
                if (hasOutOfPocketCap && facts.OutOfPocketMaxReachedOn is null && OutOfPocketRemaining() == 0m)
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
                        selfPay = left > 0m ? left : 0m;
                        facts.PackagePriceReachedOn ??= date;
                    }
                }

                _selfPayRunning += selfPay;
                facts.Count(kind, selfPay);
                patient = selfPay;
                payer = 0m;
            }

            lines[i] = new SessionEstimate(
                date, kind, _charge, allowed, copay, deductible, coinsurance, balanceBill, selfPay, patient, payer);

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
                    monthly.Add(new MonthlyEstimate(monthYear, monthNumber, monthSessions, monthPatient, monthPayer));
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
            monthly.Add(new MonthlyEstimate(monthYear, monthNumber, monthSessions, monthPatient, monthPayer));
        }

        var breakdown = new CostBreakdown(copayTotal, deductibleTotal, coinsuranceTotal, balanceTotal, selfPayTotal);
        var totals = new EstimateTotals(charges, allowedTotal, patientTotal, payerTotal);
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
            Monthly = monthly,
            Warnings = warnings,
            SessionsDetail = lines,
            Range = range,
            Explanation = Explanation.Write(context),
            Disclaimer = Explanation.Disclaimer,
        };
    }

    private static string[] Warnings(Coverage? coverage, LedgerFacts facts, decimal balanceBilled)
    {
        // Built in ordinal order of the codes, so the list is stable without sorting.
        Span<bool> raised =
        [
            facts.AfterCoverageEnds > 0,                                   // coverage-ends
            coverage is { Status: not CoverageStatus.Active },             // coverage-inactive
            balanceBilled > 0m,                                            // out-of-network-balance-billing
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

    private decimal DeductibleRemaining()
    {
        var remaining = _deductibleRule switch
        {
            DeductibleRule.Individual => _deductibleIndividual - _deductibleIndividualMet,
            DeductibleRule.Family => _deductibleFamily - _deductibleFamilyMet,
            DeductibleRule.Embedded => Math.Min(
                _deductibleIndividual - _deductibleIndividualMet,
                _deductibleFamily - _deductibleFamilyMet),
            _ => 0m,
        };
        return remaining > 0m ? remaining : 0m;
    }

    // Only called when at least one maximum is set; an unset one is decimal.MaxValue and never the smaller.
    private decimal OutOfPocketRemaining()
    {
        var individual = _outOfPocketIndividual == decimal.MaxValue ? decimal.MaxValue : _outOfPocketIndividual - _outOfPocketIndividualMet;
        var family = _outOfPocketFamily == decimal.MaxValue ? decimal.MaxValue : _outOfPocketFamily - _outOfPocketFamilyMet;
        var remaining = individual < family ? individual : family;
        return remaining > 0m ? remaining : 0m;
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
