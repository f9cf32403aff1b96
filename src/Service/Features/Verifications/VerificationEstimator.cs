using System.Globalization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Estimator;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Infrastructure;
using EstimatorCoverage = CoverageCheck.Estimator.Coverage;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// Turns a payer's normalised benefits into an estimate request (http-api.md, "Verifications"): the tier that matches
/// our network status with the payer, accumulators met = total − remaining, the plan year from the plan's begin date,
/// prices from the request, else the payer table, else the rate card. Whatever the payer left unknown is written down
/// as an assumption, and the estimate carries <c>benefits-incomplete</c> / <c>network-status-unknown</c>.
/// </summary>
internal sealed class VerificationEstimator(EstimatePricer pricer)
{

    // contract: the payer contract that matched the plan (#17): its network and allowed amount win over the payer table's.
    // authorizations: the verification's authorisations (#17), for the estimate's split; null when none are recorded.
    // includeSessions: with the day-by-day ledger (sessionsDetail), for grading the estimate against remittances (#19).
    // remitted: re-estimating mid-program (#19): only the days not yet remitted, from accumulators that count what the
    // payer's remittances say the remitted days used.
    public (EstimateResponse? Estimate, IReadOnlyList<string> Assumptions) Estimate(
        VerificationPayload payload, NormalizedCoverage coverage, Payer? listed, ContractMatchResult? contract = null,
        IReadOnlyList<Authorization>? authorizations = null, bool includeSessions = false, RemittedSoFar? remitted = null)
    {
        var terms = new Terms(listed, contract?.Contract, authorizations, includeSessions, remitted);
        var assumptions = new List<string>();
        var extraWarnings = new List<string>();
        var program = payload.Program ?? throw new ArgumentException("A program is required to estimate.", nameof(payload));

        if (coverage.CarveOut is { } carveOut && coverage.BenefitsFrom is null)
        {
            assumptions.Add($"These benefits are administered by {carveOut.Name ?? "another organisation"}"
                + (carveOut.Phone is { } phone ? $" ({phone})" : "")
                + ": ask them for the behavioural-health benefits; no estimate was made from the medical plan's numbers.");
            return (null, assumptions);
        }

        if (contract is null && listed is not null)
        {
            var allowedText = listed.AllowedPerDay is { } allowed
                ? string.Create(CultureInfo.InvariantCulture, $"{allowed:0.00} a day allowed")
                : "the rate card's allowed amount";
            assumptions.Add($"No payer contract matches this plan: the estimate uses the payer-wide default ({(listed.Network == PayerNetwork.Out ? "out of" : "in")} network, {allowedText}).");
        }

        if (coverage.Active == false)
        {
            // Not covered on the date of service: every session is self-pay, whatever the benefit rows say.
            return (Priced(payload, terms, new EstimatorCoverage { Status = CoverageStatus.Inactive }, [], assumptions), assumptions);
        }

        if (coverage.BenefitsFrom is not null)
        {
            extraWarnings.Add(EstimateWarningTexts.BenefitsFromCarveOut); // the tiers are the carve-out administrator's
        }

        var outOfNetwork = contract is { } matched ? matched.Contract.Network == ContractNetworks.Out : listed?.Network == PayerNetwork.Out;
        if (listed is null && contract is null)
        {
            extraWarnings.Add(EstimateWarnings.NetworkStatusUnknown);
            assumptions.Add("The program's network status with this payer is not in the payer table: the estimate assumes in network.");
        }

        var tierName = outOfNetwork ? "out-of-network" : "in-network";
        if (coverage.NonCovered is { } nonCovered && (outOfNetwork ? nonCovered.OutOfNetwork : nonCovered.InNetwork))
        {
            // #15: EB01 I on MH/AI for the tier that applies: the plan pays nothing for this care, so every session is
            // the patient's at the self-pay rate, whatever deductible or coinsurance rows say about other care.
            assumptions.Add($"The payer says this care is not covered {tierName}: every session is priced at the self-pay rate.");
            return (Priced(payload, terms, coverage: null, [.. extraWarnings, EstimateWarningTexts.NotCovered], assumptions), assumptions);
        }

        var tier = outOfNetwork ? coverage.OutOfNetwork : coverage.InNetwork;
        if (tier is null)
        {
            var other = outOfNetwork ? coverage.InNetwork : coverage.OutOfNetwork;
            tier = other;
            extraWarnings.Add(EstimateWarnings.BenefitsIncomplete);
            assumptions.Add(other is null
                ? $"The payer returned no {tierName} cost sharing for this service: the estimate assumes none, so the patient may owe more."
                : $"The payer returned no {tierName} benefits for this service: the estimate uses the {(outOfNetwork ? "in-network" : "out-of-network")} ones.");
        }

        var estimateCoverage = ToCoverage(coverage, tier, outOfNetwork, assumptions, extraWarnings);
        if (terms.Remitted is { } soFar)
        {
            var used = estimateCoverage.Accumulators;
            estimateCoverage = estimateCoverage with
            {
                Accumulators = used with
                {
                    DeductibleIndividualMet = used.DeductibleIndividualMet + soFar.Deductible,
                    DeductibleFamilyMet = used.DeductibleFamilyMet + soFar.Deductible,
                    OutOfPocketIndividualMet = used.OutOfPocketIndividualMet + soFar.OutOfPocket,
                    OutOfPocketFamilyMet = used.OutOfPocketFamilyMet + soFar.OutOfPocket,
                    VisitsUsed = used.VisitsUsed + soFar.Days,
                },
            };
        }

        return (Priced(payload, terms, estimateCoverage, extraWarnings, assumptions, outOfNetwork), assumptions);
    }

    // What the estimate is priced on besides the benefits: the payer table row, the contract that matched, the authorisations.
    private sealed record Terms(Payer? Listed, Contract? Contract, IReadOnlyList<Authorization>? Authorizations, bool IncludeSessions, RemittedSoFar? Remitted);

    private EstimateResponse? Priced(
        VerificationPayload payload, Terms terms, EstimatorCoverage? coverage, List<string> extraWarnings, List<string> assumptions, bool outOfNetwork = false)
    {
        var program = payload.Program!;
        var given = payload.Pricing;
        // The contract's allowed amount for the tier that applies (out of network: its fixed amount or percent of the
        // charge, else its allowedPerDay), then the payer table's; the request's own allowedPerDay wins over both.
        var contract = terms.Contract;
        var outOfNetworkAllowed = outOfNetwork ? contract?.OutOfNetworkAllowed : null;
        var input = new EstimateInput(
            terms.Remitted is { } soFar
                ? new ProgramSchedule { SessionDates = soFar.RemainingDates }
                : new ProgramSchedule { StartDate = program.StartDate, Weeks = program.Weeks, DaysPerWeek = program.DaysPerWeek },
            new PricingInput(
                given?.ChargePerDay,
                given?.AllowedPerDay ?? outOfNetworkAllowed?.PerDay ?? (outOfNetworkAllowed?.PercentOfCharge is null ? contract?.AllowedPerDay ?? terms.Listed?.AllowedPerDay : null),
                given?.SelfPayPerDay,
                given?.SelfPayPackagePrice),
            coverage,
            // Staff quote the usual span too: 8–12 weeks at 3–5 days, from the same start and benefits (not for the
            // rest of a program already under way).
            terms.Remitted is null ? new ProgramRange(new IntRange(8, 12), new IntRange(3, 5)) : null)
        {
            AllowedPercentOfCharge = given?.AllowedPerDay is null ? outOfNetworkAllowed?.PercentOfCharge : null,
            Authorizations = terms.Authorizations,
        };

        var outcome = pricer.Estimate(input, terms.IncludeSessions);
        if (outcome.Response is not { } response)
        {
            assumptions.Add("No estimate: " + string.Join("; ", outcome.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}"))));
            return null;
        }

        if (extraWarnings.Count > 0)
        {
            response = response with { Warnings = [.. response.Warnings.Concat(extraWarnings).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] };
        }

        return response;
    }

    private static EstimatorCoverage ToCoverage(
        NormalizedCoverage coverage, BenefitTier? tier, bool outOfNetwork, List<string> assumptions, List<string> warnings)
    {
        void Incomplete(string assumption)
        {
            assumptions.Add(assumption);
            if (!warnings.Contains(EstimateWarnings.BenefitsIncomplete))
            {
                warnings.Add(EstimateWarnings.BenefitsIncomplete);
            }
        }

        var planYearStart = PlanYearStart.January1;
        if (coverage.PlanBegin is { } begin && !(begin.Month == 2 && begin.Day == 29))
        {
            planYearStart = new PlanYearStart(begin.Month, begin.Day);
        }
        else
        {
            assumptions.Add("The payer gave no plan begin date: the estimate assumes the plan year starts on 1 January.");
        }

        // #15: an eligibility end, or a plan end that is not just the end of a renewing plan year (a plan ending
        // 15 December), stops coverage: later sessions are self-pay (coverage-ends). See NormalizedCoverage.CoverageEnds.
        var coverageEnd = coverage.CoverageEnds;

        decimal? individualDeductible = null, familyDeductible = null, individualDeductibleMet = 0, familyDeductibleMet = 0;
        if (tier?.Deductible is { } deductible)
        {
            (individualDeductible, individualDeductibleMet) = TotalAndMet(deductible.Individual, "individual deductible", Incomplete);
            (familyDeductible, familyDeductibleMet) = TotalAndMet(deductible.Family, "family deductible", Incomplete);
        }
        else
        {
            Incomplete("The payer gave no deductible for this service: the estimate assumes none applies.");
        }

        decimal? individualOop = null, familyOop = null, individualOopMet = 0, familyOopMet = 0;
        if (tier?.OutOfPocketMax is { } oop)
        {
            (individualOop, individualOopMet) = TotalAndMet(oop.Individual, "individual out-of-pocket maximum", Incomplete);
            (familyOop, familyOopMet) = TotalAndMet(oop.Family, "family out-of-pocket maximum", Incomplete);
        }
        else
        {
            Incomplete("The payer gave no out-of-pocket maximum: the estimate assumes no cap.");
        }

        if (tier?.CopayPerDay is null && tier?.CoinsurancePercent is null)
        {
            Incomplete("The payer gave neither a copay nor a coinsurance for this service: the estimate assumes none.");
        }

        int? visitLimit = null;
        var visitsUsed = 0;
        if (tier?.VisitLimit is { Unlimited: false, Total: { } total } limit)
        {
            visitLimit = total;
            visitsUsed = limit.Remaining is { } remaining ? Math.Max(0, total - remaining) : 0;
            if (limit.Remaining is null)
            {
                Incomplete($"The payer gave a limit of {total} {limit.Unit} a year but not how many remain: the estimate assumes none used.");
            }
        }

        if (tier?.PriorAuthorizationRequired is null)
        {
            assumptions.Add("The payer did not say whether prior authorisation is required: ask before the first session.");
        }

        return new EstimatorCoverage
        {
            Status = coverage.Active == false ? CoverageStatus.Inactive : CoverageStatus.Active,
            Network = outOfNetwork ? NetworkStatus.Out : NetworkStatus.In,
            PlanYearStart = planYearStart,
            CoverageEndDate = coverageEnd,
            // A 271 rarely says; a completion by phone may (deductibleAppliesToService). Unknown: it applies.
            Deductible = new Deductible { Individual = individualDeductible, Family = familyDeductible, AppliesToService = tier?.DeductibleAppliesToService ?? true },
            CopayPerDay = tier?.CopayPerDay ?? 0m,
            CoinsurancePercent = tier?.CoinsurancePercent ?? 0m,
            OutOfPocketMax = individualOop is null && familyOop is null ? null : new OutOfPocketMax(individualOop, familyOop),
            VisitLimitPerPlanYear = visitLimit,
            PriorAuthorizationRequired = tier?.PriorAuthorizationRequired ?? false,
            Accumulators = new Accumulators
            {
                DeductibleIndividualMet = individualDeductibleMet ?? 0,
                DeductibleFamilyMet = familyDeductibleMet ?? 0,
                OutOfPocketIndividualMet = individualOopMet ?? 0,
                OutOfPocketFamilyMet = familyOopMet ?? 0,
                VisitsUsed = visitsUsed,
            },
        };
    }

    private static (decimal? Total, decimal? Met) TotalAndMet(Amounts? amounts, string what, Action<string> incomplete)
    {
        if (amounts is null || amounts.Unlimited || amounts.Total is null)
        {
            return (null, 0);
        }

        var total = amounts.Total.Value;
        if (amounts.Remaining is { } remaining)
        {
            return (total, Math.Clamp(total - remaining, 0, total));
        }

        if (amounts.Met is { } met)
        {
            return (total, Math.Clamp(met, 0, total));
        }

        incomplete(string.Create(CultureInfo.InvariantCulture,
            $"The payer gave the {what} ({total:0.00}) but not what remains: the estimate assumes nothing has been met yet."));
        return (total, 0);
    }
}

/// <summary>
/// What a patient's remittances say so far (#19), for re-estimating the rest of the program: the planned days not yet
/// remitted, and the deductible, out-of-pocket and visits the remitted days used.
/// </summary>
internal sealed record RemittedSoFar(IReadOnlyList<DateOnly> RemainingDates, decimal Deductible, decimal OutOfPocket, int Days);
