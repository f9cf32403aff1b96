using CoverageCheck.Clients.Remittances;
using CoverageCheck.Estimator;
using CoverageCheck.Sandbox;
using EstimatorCoverage = CoverageCheck.Estimator.Coverage;

namespace CoverageCheck.Clients.Tests.Sandbox;

/// <summary>
/// Issue #19: where the sandbox payer's rules and the estimator's agree, its 835 and the estimate agree to the cent,
/// day by day, for every member it pays (carve-outs excepted: the estimator makes no estimate for those). The
/// schedule crosses 1 January, so the plan-year reset is compared too. The member's coverage is handed to the
/// estimator as the 271 states it (met = total − remaining), with the sandbox's allowed rate for that payer.
/// </summary>
public sealed class SandboxRemittanceRoundTripTests
{
    private const decimal Charge = 650.00m;
    private static readonly SandboxRemittanceSettings Settings = new(new DateOnly(2027, 2, 5));

    // 12 weeks of Monday to Friday from 2026-11-02: 60 days, the last 25 in 2027.
    private static readonly IReadOnlyList<DateOnly> Days =
        [.. Enumerable.Range(0, 120).Select(i => new DateOnly(2026, 11, 2).AddDays(i)).Where(d => d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)).Take(60)];

    private static IEnumerable<TestCaseData> Members() =>
        SandboxCatalogue.Members
            .Where(m => m.Coverage.CarveOut is null && (m.Coverage.InNetwork ?? m.Coverage.OutOfNetwork) is not null || !m.Coverage.Active)
            .Select(m => new TestCaseData(m.PayerId, m.MemberId).SetArgDisplayNames(m.MemberId));

    [TestCaseSource(nameof(Members))]
    public void The_835_pays_each_day_what_the_estimator_says_the_payer_pays(string payerId, string memberId)
    {
        var member = SandboxCatalogue.Members.Single(m => m.PayerId == payerId && m.MemberId == memberId);
        var allowed = Settings.AllowedFor(payerId);
        var estimate = CostEstimator.Estimate(new EstimateRequest
        {
            Program = new ProgramSchedule { SessionDates = Days },
            Pricing = new Pricing(Charge, allowed, SelfPayPerDay: 350m),
            Coverage = AsTheEstimatorGetsIt(member.Coverage, Days[0]),
            IncludeSessionsDetail = true,
        });

        var text = SandboxRemittances.Issue([new SandboxClaimRequest("PT-1", payerId, memberId, member.FirstName, member.LastName, Days, Charge)], Settings);
        var remittance = X835Reader.Read(text);
        Assert.That(remittance.IsReadable && remittance.Transactions.Single().Balances, Is.True);
        var lines = remittance.Transactions.Single().Claims.Single().Lines;

        var expected = estimate.SessionsDetail.Select(s => (s.Date, s.Coverage == SessionCoverage.Covered, s.Copay, s.Deductible, s.Coinsurance, s.BalanceBill, s.Payer));
        var actual = lines.Select(l => (l.From!.Value, l.AllowedStated is not null, l.PatientShare.Copay, l.PatientShare.Deductible, l.PatientShare.Coinsurance,
            l.PatientShare.Other.Where(a => a.Reason == "45").Sum(a => a.Amount), l.Paid!.Value));
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(lines.Sum(l => l.Paid), Is.EqualTo(estimate.Totals.Payer));
    }

    private static EstimatorCoverage AsTheEstimatorGetsIt(SandboxCoverage coverage, DateOnly firstDay)
    {
        var inNetwork = coverage.InNetwork is not null;
        var tier = coverage.InNetwork ?? coverage.OutOfNetwork;
        var plan = inNetwork ? coverage.PlanLevel?.InNetwork : coverage.PlanLevel?.OutOfNetwork;
        static decimal Met(SandboxAmount? amount) => amount is null ? 0m : amount.Total - amount.Remaining;
        return new EstimatorCoverage
        {
            Status = coverage.Active ? CoverageStatus.Active : CoverageStatus.Inactive,
            Network = inNetwork ? NetworkStatus.In : NetworkStatus.Out,
            CoverageEndDate = coverage.EndsDaysAfterService is { } days ? firstDay.AddDays(days) : coverage.TerminatedOn,
            Deductible = new Deductible { Individual = plan?.IndividualDeductible?.Total, Family = plan?.FamilyDeductible?.Total },
            CopayPerDay = tier?.CopayPerVisit ?? 0m,
            CoinsurancePercent = (tier?.CoinsuranceShare ?? 0m) * 100m,
            OutOfPocketMax = plan?.IndividualOutOfPocket is null && plan?.FamilyOutOfPocket is null
                ? null
                : new OutOfPocketMax(plan?.IndividualOutOfPocket?.Total, plan?.FamilyOutOfPocket?.Total),
            VisitLimitPerPlanYear = tier?.VisitLimit is { } limit ? (int)limit.Total : null,
            Accumulators = new Accumulators
            {
                DeductibleIndividualMet = Met(plan?.IndividualDeductible),
                DeductibleFamilyMet = Met(plan?.FamilyDeductible),
                OutOfPocketIndividualMet = Met(plan?.IndividualOutOfPocket),
                OutOfPocketFamilyMet = Met(plan?.FamilyOutOfPocket),
                VisitsUsed = tier?.VisitLimit is { } visits ? (int)(visits.Total - visits.Remaining) : 0,
            },
        };
    }
}
