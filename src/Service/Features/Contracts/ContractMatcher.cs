using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Estimator;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>What a contract is matched against: the payer, the plan as the payer reported it, and the date.</summary>
/// <param name="PayerId">The payer asked.</param>
/// <param name="PlanName">The plan name of the payer's answer.</param>
/// <param name="GroupNumber">The payer's group number, else the one on the card.</param>
/// <param name="InsuranceType">The plan's X12 insurance type code (EB04), when the payer sent one.</param>
/// <param name="On">The first session's date (else the date of service).</param>
internal sealed record ContractSubject(string PayerId, string? PlanName, string? GroupNumber, string? InsuranceType, DateOnly On)
{
    /// <summary>Never print the plan (it is read from a payer answer).</summary>
    public override string ToString() => $"ContractSubject {{ PayerId = {PayerId}, On = {On:yyyy-MM-dd} }}";

    public static ContractSubject From(string payerId, NormalizedCoverage? coverage, string? cardGroupNumber, DateOnly on) =>
        new(payerId, coverage?.PlanName, coverage?.GroupNumber ?? cardGroupNumber, coverage?.InsuranceType, on);

    /// <summary>The date a contract must be in force on: the program's first session, else the date of service.</summary>
    public static DateOnly DateFor(DateOnly? programStart, int weeks, int daysPerWeek, DateOnly dateOfService) =>
        programStart is { } start
            ? CostEstimator.FirstSession(new ProgramSchedule { StartDate = start, Weeks = weeks, DaysPerWeek = daysPerWeek }) ?? start
            : dateOfService;
}

/// <summary>A contract that matched, and on what.</summary>
internal sealed record ContractMatchResult(Contract Contract, string MatchedOn)
{
    public ContractMatchInfo Info => new(Contract.Id, MatchedOn);
}

/// <summary>
/// Picks the contract for a plan: of the payer's contracts in force on the date whose every rule holds, the most specific
/// wins. Specificity, highest first: a group number rule, a plan-name rule, an insurance-type rule, none (payer-wide).
/// Ties go to the contract with more rules, then the later <c>effectiveFrom</c>, then the smaller id (ordinal), so the
/// choice never depends on the order contracts were stored. No match: null, and <c>Payers:N:*</c> is the default.
/// </summary>
internal static class ContractMatcher
{
    public static ContractMatchResult? Match(IEnumerable<Contract> contracts, ContractSubject subject)
    {
        ContractMatchResult? best = null;
        var bestKey = (Rank: -1, Rules: -1, From: DateOnly.MinValue);
        foreach (var contract in contracts)
        {
            if (!string.Equals(contract.PayerId.Trim(), subject.PayerId.Trim(), StringComparison.Ordinal) || !contract.IsEffectiveOn(subject.On))
            {
                continue;
            }

            if (Evaluate(contract.Match, subject) is not { } matched)
            {
                continue;
            }

            var key = (matched.Rank, matched.Rules, contract.EffectiveFrom);
            if (best is null || key.CompareTo(bestKey) > 0 || (key == bestKey && string.CompareOrdinal(contract.Id, best.Contract.Id) < 0))
            {
                best = new ContractMatchResult(contract, matched.On);
                bestKey = key;
            }
        }

        return best;
    }

    // Null when a rule fails; otherwise the rank of the most specific rule (3 group, 2 plan name, 1 insurance type, 0 none).
    private static (int Rank, int Rules, string On)? Evaluate(ContractMatch match, ContractSubject subject)
    {
        var rank = 0;
        var rules = 0;
        var on = ContractMatchedOn.Payer;
        if (match.InsuranceTypes is { Count: > 0 } types)
        {
            if (!Contains(types, subject.InsuranceType))
            {
                return null;
            }

            (rank, on) = (1, ContractMatchedOn.InsuranceType);
            rules++;
        }

        if (!string.IsNullOrWhiteSpace(match.PlanNameContains))
        {
            if (subject.PlanName is null || !subject.PlanName.Contains(match.PlanNameContains.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            (rank, on) = (2, ContractMatchedOn.PlanName);
            rules++;
        }

        if (match.GroupNumbers is { Count: > 0 } groups)
        {
            if (!Contains(groups, subject.GroupNumber))
            {
                return null;
            }

            (rank, on) = (3, ContractMatchedOn.GroupNumber);
            rules++;
        }

        return (rank, rules, on);
    }

    private static bool Contains(IReadOnlyList<string> values, string? value) =>
        value is not null && values.Any(v => string.Equals(v.Trim(), value.Trim(), StringComparison.OrdinalIgnoreCase));
}
