using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CoverageCheck.Clients.Eligibility;

/// <summary>
/// The reading rules of eligibility.md, applied to the common form of an answer: which rows count, which tier and
/// level they fill, totals against remainders, copay, coinsurance, limits, prior authorisation and carve-outs.
/// </summary>
internal static partial class BenefitRules
{
    /// <summary>Most specific first: substance use, then mental health outpatient, then the plan as a whole.</summary>
    public static readonly IReadOnlyList<string> ServiceTypePrecedence = ["AI", "AJ", "AK", "CJ", "MH", "CF", "CH", "A8", "30"];

    /// <summary>Service types on which a U/W row means a behavioural-health administrator holds the benefits.</summary>
    private static readonly FrozenSet<string> CarveOutServiceTypes = FrozenSet.Create(StringComparer.Ordinal, "AI", "AJ", "AK", "CJ", "MH", "CF", "CH", "A8");

    private static readonly FrozenSet<string> ActiveCodes = FrozenSet.Create(StringComparer.Ordinal, "1", "2", "3", "4", "5");
    private static readonly FrozenSet<string> InactiveCodes = FrozenSet.Create(StringComparer.Ordinal, "6", "7", "8");
    private static readonly FrozenSet<string> TotalPeriods = FrozenSet.Create(StringComparer.Ordinal, "23", "22", "25");

    private const int PlanAsAWhole = 8;

    /// <summary>Which precedence service types a row's EB03 names, as bits; no EB03 means the plan as a whole (30).</summary>
    public static int MaskOf(IReadOnlyList<string> serviceTypes)
    {
        if (serviceTypes.Count == 0)
        {
            return 1 << PlanAsAWhole;
        }

        var mask = 0;
        foreach (var code in serviceTypes)
        {
            for (var i = 0; i < ServiceTypePrecedence.Count; i++)
            {
                if (string.Equals(code, ServiceTypePrecedence[i], StringComparison.Ordinal))
                {
                    mask |= 1 << i;
                    break;
                }
            }
        }

        return mask;
    }

    public static NormalizedCoverage? Normalize(EligibilityAnswer answer, List<string> warnings, List<string> assumptions)
    {
        var allRows = answer.Rows.Where(r => r.Code is not null).ToList();
        if (allRows.Count == 0)
        {
            if (answer.Errors.Count == 0)
            {
                assumptions.Add("the answer carries no benefit rows: coverage is unknown");
            }

            return null;
        }

        var (rows, noMedicalCoverage) = SetOtherProductsApart(allRows, assumptions);
        var otherCoverage = ReadOtherCoverage(rows, warnings);
        var anyMask = rows.Aggregate(0, (mask, row) => mask | row.PrecedenceMask);
        var serviceTypeUsed = anyMask == 0 ? null : ServiceTypePrecedence[System.Numerics.BitOperations.TrailingZeroCount(anyMask)];
        if (serviceTypeUsed is null && !noMedicalCoverage)
        {
            assumptions.Add("no row is about substance use (AI, AJ, AK, CJ), mental health (MH, CF, CH, A8) or the plan as a whole (30): no benefits were taken");
        }

        var carveOut = FindCarveOut(rows);
        BenefitTier? inNetwork = null;
        BenefitTier? outOfNetwork = null;
        if (carveOut is not null)
        {
            assumptions.Add($"service type {carveOut.ServiceType} is administered by {carveOut.Name ?? "another entity"}" +
                            (carveOut.Phone is null ? string.Empty : $" ({carveOut.Phone})") +
                            ": the medical plan's figures are not used; verify benefits with that entity");
        }
        else if (serviceTypeUsed is not null)
        {
            inNetwork = BuildTier(rows, 'Y', "in-network", serviceTypeUsed, warnings, assumptions);
            outOfNetwork = BuildTier(rows, 'N', "out-of-network", serviceTypeUsed, warnings, assumptions);
        }

        var nonCovered = ReadNonCovered(rows, warnings);
        var active = noMedicalCoverage ? null : ReadActive(rows);
        if (nonCovered is { InNetwork: true, OutOfNetwork: true })
        {
            active = false;
        }

        return new NormalizedCoverage(
            Active: active,
            PlanName: noMedicalCoverage ? null : ReadPlanName(rows) ?? answer.PlanReferenceName,
            GroupNumber: answer.GroupNumber,
            PlanBegin: answer.PlanBegin,
            PlanEnd: answer.PlanEnd,
            EligibilityBegin: answer.EligibilityBegin,
            EligibilityEnd: answer.EligibilityEnd,
            InNetwork: inNetwork,
            OutOfNetwork: outOfNetwork,
            CarveOut: carveOut,
            ServiceTypeUsed: serviceTypeUsed)
        {
            NonCovered = nonCovered,
            NoMedicalCoverageStated = noMedicalCoverage,
            OtherCoverage = otherCoverage,
            Messages = ReadMessages(rows),
        };
    }

    /// <summary>Dental (23–28, 35–41) and vision (AL, AM, AN, AO) service types: another product than the medical plan.</summary>
    private static readonly FrozenSet<string> OtherProductServiceTypes = FrozenSet.Create(StringComparer.Ordinal,
        "23", "24", "25", "26", "27", "28", "35", "36", "37", "38", "39", "40", "41", "AL", "AM", "AN", "AO");

    private static bool IsOtherProductOnly(BenefitRow row) =>
        row.ServiceTypes.Count > 0 && row.ServiceTypes.All(OtherProductServiceTypes.Contains);

    private static bool NamesBehaviouralHealth(BenefitRow row) =>
        row.ServiceTypes.Any(CarveOutServiceTypes.Contains);

    private static bool IsStatusRow(BenefitRow row) => ActiveCodes.Contains(row.Code!) || InactiveCodes.Contains(row.Code!);

    /// <summary>
    /// A 271 can carry a dental or vision plan beside the medical one. A plan-wide row (no EB03, or 30) belongs to
    /// that other plan when it carries the other plan's coverage description (EB05) and not the medical plan's, or a
    /// dental procedure code (EB13 AD); and when every status row of the answer is dental or vision, every row that
    /// does not name a behavioural-health service type is the other plan's: nothing medical is stated.
    /// </summary>
    private static (List<BenefitRow> Rows, bool NoMedicalCoverage) SetOtherProductsApart(List<BenefitRow> rows, List<string> assumptions)
    {
        var statusRows = rows.Where(IsStatusRow).ToList();
        var otherPlanStatus = statusRows.Where(IsOtherProductOnly).ToList();
        if (otherPlanStatus.Count == 0 && !rows.Any(r => r.ProcedureQualifier == "AD"))
        {
            return (rows, false);
        }

        var medicalStatus = statusRows.Where(r => !IsOtherProductOnly(r)).ToList();
        var noMedicalPlan = medicalStatus.Count == 0 && otherPlanStatus.Count > 0;
        var medicalNames = medicalStatus.Select(r => r.PlanCoverage).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        var otherNames = otherPlanStatus.Select(r => r.PlanCoverage).OfType<string>().Where(n => !medicalNames.Contains(n)).ToHashSet(StringComparer.OrdinalIgnoreCase);

        var kept = new List<BenefitRow>(rows.Count);
        var setApart = 0;
        foreach (var row in rows)
        {
            var otherProduct = !NamesBehaviouralHealth(row) &&
                               (noMedicalPlan ||
                                row.ProcedureQualifier == "AD" ||
                                (row.PlanCoverage is { } name && otherNames.Contains(name)));
            if (otherProduct && row.PrecedenceMask != 0)
            {
                setApart++;
            }

            if (!otherProduct)
            {
                kept.Add(row);
            }
        }

        if (noMedicalPlan && !kept.Any(r => r.PrecedenceMask != 0))
        {
            assumptions.Add("no medical coverage stated: every coverage row of the answer is for a dental or vision plan; nothing is said about medical or behavioural-health care");
            return (kept, true);
        }

        if (setApart > 0)
        {
            assumptions.Add(string.Create(CultureInfo.InvariantCulture,
                $"{setApart} plan-wide rows belong to a dental or vision plan in the same answer (its plan description, service types or dental procedure codes) and were not read as the medical plan's"));
        }

        return (kept, false);
    }

    /// <summary>EB01 R: another or additional payer (a Medicare Advantage plan to bill instead, a primary payer, QMB Medicaid).</summary>
    private static IReadOnlyList<OtherCoverage> ReadOtherCoverage(List<BenefitRow> rows, List<string> warnings)
    {
        var found = new List<OtherCoverage>();
        foreach (var row in rows.Where(r => r.Code == "R"))
        {
            var entity = row.Entities.FirstOrDefault(e => e.Name is not null || e.Id is not null);
            var coverage = new OtherCoverage(entity?.Name, entity?.Id, row.InsuranceType, row.PlanCoverage, row.Begin, row.End);
            if (!found.Contains(coverage))
            {
                found.Add(coverage);
            }
        }

        if (found.Count > 0)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"the payer names other coverage (EB01 R, {found.Count}): another payer may have to be billed first or instead; check coordination of benefits before relying on this estimate"));
        }

        return found;
    }

    /// <summary>
    /// EB01 I on the most specific behavioural-health service type that has a status or non-covered row: not covered
    /// in the tiers it names (EB12 Y in network, N out of network, W or unsaid both), unless an active row on the same
    /// service type names that tier.
    /// </summary>
    private static NonCovered? ReadNonCovered(List<BenefitRow> rows, List<string> warnings)
    {
        for (var stc = 0; stc < PlanAsAWhole; stc++)
        {
            var relevant = rows.Where(r => Covers(r, stc) && (r.Code == "I" || IsStatusRow(r))).ToList();
            if (relevant.Count == 0)
            {
                continue;
            }

            var notCovered = relevant.Where(r => r.Code == "I").ToList();
            if (notCovered.Count == 0)
            {
                return null;
            }

            var activeTiers = relevant.Where(r => ActiveCodes.Contains(r.Code!)).Select(r => r.Network).ToHashSet();
            var inNetwork = notCovered.Any(r => r.Network is not "N") && !activeTiers.Contains("Y");
            var outOfNetwork = notCovered.Any(r => r.Network is not "Y") && !activeTiers.Contains("N");
            if (!inNetwork && !outOfNetwork)
            {
                return null;
            }

            var serviceType = ServiceTypePrecedence[stc];
            var tiers = (inNetwork, outOfNetwork) switch
            {
                (true, true) => "in or out of network",
                (true, false) => "in network",
                _ => "out of network",
            };
            warnings.Add($"the payer says service type {serviceType} is not covered {tiers} (EB01 I): the estimate treats those days as the patient's to pay");
            return new NonCovered(serviceType, inNetwork, outOfNetwork);
        }

        return null;
    }

    /// <summary>MSG texts of the rows that matter for the estimate (behavioural health, the plan as a whole, other coverage), with their benefit.</summary>
    private static IReadOnlyList<PayerMessage> ReadMessages(List<BenefitRow> rows)
    {
        List<PayerMessage>? messages = null;
        foreach (var row in rows)
        {
            if (row.Messages.Count == 0 || (row.PrecedenceMask == 0 && row.Code != "R"))
            {
                continue;
            }

            foreach (var text in row.Messages)
            {
                (messages ??= []).Add(new PayerMessage(BenefitName(row.Code!), row.ServiceTypes, row.Network, text));
            }
        }

        return messages ?? [];
    }

    private static string BenefitName(string code) => code switch
    {
        "1" or "2" or "3" or "4" or "5" => "active coverage",
        "6" or "7" or "8" => "inactive coverage",
        "A" => "coinsurance",
        "B" => "copay",
        "C" => "deductible",
        "D" => "benefit description",
        "F" => "limitation",
        "G" => "out-of-pocket maximum",
        "I" => "not covered",
        "L" => "primary care provider",
        "P" => "benefit disclaimer",
        "R" => "other coverage",
        "U" => "contact the following entity",
        "W" => "other source of data",
        "Y" => "spend-down",
        _ => $"benefit {code}",
    };

    private static bool Covers(BenefitRow row, int precedence) => (row.PrecedenceMask & (1 << precedence)) != 0;

    /// <summary>Status rows of the most specific service type that has any decide; otherwise any status row that is not another product's (dental, vision).</summary>
    private static bool? ReadActive(List<BenefitRow> rows)
    {
        var statusRows = rows.Where(r => IsStatusRow(r) && !IsOtherProductOnly(r)).ToList();
        if (statusRows.Count == 0)
        {
            return null;
        }

        for (var stc = 0; stc < ServiceTypePrecedence.Count; stc++)
        {
            var applicable = statusRows.Where(r => Covers(r, stc)).ToList();
            if (applicable.Count > 0)
            {
                return Decide(applicable);
            }
        }

        return Decide(statusRows);

        static bool? Decide(List<BenefitRow> applicable) =>
            applicable.Any(r => ActiveCodes.Contains(r.Code!)) ? true : applicable.Any(r => InactiveCodes.Contains(r.Code!)) ? false : null;
    }

    /// <summary>
    /// The plan's name is the coverage description (EB05) of an active-coverage row, the plan as a whole first, then of
    /// an inactive-coverage row; never the text of a limitation or cost row ("Physical and Speech Therapy" on an F row
    /// is not a plan).
    /// </summary>
    private static string? ReadPlanName(List<BenefitRow> rows) =>
        rows.FirstOrDefault(r => ActiveCodes.Contains(r.Code!) && r.PlanCoverage is not null && Covers(r, PlanAsAWhole))?.PlanCoverage
        ?? rows.FirstOrDefault(r => ActiveCodes.Contains(r.Code!) && r.PlanCoverage is not null && !IsOtherProductOnly(r))?.PlanCoverage
        ?? rows.FirstOrDefault(r => InactiveCodes.Contains(r.Code!) && r.PlanCoverage is not null && !IsOtherProductOnly(r))?.PlanCoverage;

    private static CarveOut? FindCarveOut(List<BenefitRow> rows)
    {
        for (var stc = 0; stc < ServiceTypePrecedence.Count; stc++)
        {
            if (!CarveOutServiceTypes.Contains(ServiceTypePrecedence[stc]))
            {
                continue;
            }

            var row = rows.FirstOrDefault(r => r.Code is "U" or "W" && Covers(r, stc));
            if (row is null)
            {
                continue;
            }

            var entity = row.Entities.FirstOrDefault(e => e.Name is not null) ?? row.Entities.FirstOrDefault();
            var message = row.Messages.Count == 0 ? null : string.Join(" ", row.Messages);
            var phone = entity?.Phone ?? PhoneIn(message);
            return new CarveOut(entity?.Name, phone, ServiceTypePrecedence[stc], message);
        }

        return null;
    }

    private static string? PhoneIn(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var match = PhonePattern().Match(message);
        return match.Success ? string.Concat(match.Groups["area"].Value, match.Groups["exchange"].Value, match.Groups["line"].Value) : null;
    }

    [GeneratedRegex(@"(?<!\d)(?:\+?1[-. ]?)?\(?(?<area>\d{3})\)?[-. ]?(?<exchange>\d{3})[-. ]?(?<line>\d{4})(?!\d)", RegexOptions.CultureInvariant, 200)]
    private static partial Regex PhonePattern();

    private static BenefitTier? BuildTier(List<BenefitRow> rows, char tier, string tierName, string serviceTypeUsed, List<string> warnings, List<string> assumptions)
    {
        var context = new TierContext(tier, tierName, serviceTypeUsed, warnings, assumptions);
        var deductible = ReadAccumulator(rows, "C", "deductible", context);
        var outOfPocket = ReadAccumulator(rows, "G", "out-of-pocket maximum", context);
        var copay = ReadCopay(rows, context);
        var coinsurance = ReadCoinsurance(rows, context);
        var priorAuthorization = ReadPriorAuthorization(rows, context);
        var visitLimit = ReadVisitLimit(rows, context);
        if (deductible is null && outOfPocket is null && copay is null && coinsurance is null && priorAuthorization is null && visitLimit is null)
        {
            return null;
        }

        return new BenefitTier(deductible, outOfPocket, copay, coinsurance, priorAuthorization, visitLimit);
    }

    private sealed record TierContext(char Tier, string TierName, string ServiceTypeUsed, List<string> Warnings, List<string> Assumptions);

    /// <summary>0: the row names this tier; 1: W (both tiers); 2: U or not said; null: the other tier.</summary>
    private static int? TierRank(BenefitRow row, char tier) => row.Network switch
    {
        null or "U" or "" => 2,
        "W" => 1,
        var network when network.Length == 1 && network[0] == tier => 0,
        _ => null,
    };

    /// <summary>Rows without a place of service first, then the IOP settings (57, 22, 11, 52, 53), telehealth last.</summary>
    private static int PlaceRank(BenefitRow row)
    {
        if (row.PlacesOfService.Count == 0)
        {
            return 0;
        }

        return row.PlacesOfService.Min(pos => pos switch
        {
            "57" => 1,
            "22" => 2,
            "11" => 3,
            "52" or "53" => 4,
            "02" or "10" => 6,
            _ => 5,
        });
    }

    /// <summary>
    /// The rows of one kind that count for this tier: those of the most specific service type that has any, best
    /// first (tier named exactly, then W, then U/unsaid; then place of service; then input order).
    /// </summary>
    private static (string? ServiceType, List<BenefitRow> Rows) Choose(IEnumerable<BenefitRow> candidates, TierContext context, string kind)
    {
        var inTier = candidates.Where(r => r.PrecedenceMask != 0 && TierRank(r, context.Tier) is not null).ToList();
        if (inTier.Count == 0)
        {
            return (null, inTier);
        }

        var anyMask = inTier.Aggregate(0, (mask, row) => mask | row.PrecedenceMask);
        var first = System.Numerics.BitOperations.TrailingZeroCount(anyMask);
        for (var index = first; index < ServiceTypePrecedence.Count; index++)
        {
            var stc = ServiceTypePrecedence[index];
            var chosen = inTier.Where(r => Covers(r, index))
                .OrderBy(r => TierRank(r, context.Tier))
                .ThenBy(PlaceRank)
                .ThenBy(r => r.Index)
                .ToList();
            if (chosen.Count == 0)
            {
                continue;
            }

            if (stc != context.ServiceTypeUsed)
            {
                context.Assumptions.Add($"{context.TierName} {kind}: no {context.ServiceTypeUsed} row states it; taken from service type {stc}");
            }

            return (stc, chosen);
        }

        return (null, []);
    }

    private static void NoteUnsaidTier(BenefitRow row, TierContext context, string kind)
    {
        if (TierRank(row, context.Tier) == 2)
        {
            context.Assumptions.Add($"{context.TierName} {kind}: the payer did not say which network tier {row.Where} is for (EB12 {row.Network ?? "missing"}); read as applying to both");
        }
    }

    private static LevelAmounts? ReadAccumulator(List<BenefitRow> rows, string code, string kind, TierContext context)
    {
        var candidates = rows.Where(r => r.Code == code).ToList();
        var (serviceType, chosen) = Choose(candidates, context, kind);
        if (chosen.Count == 0)
        {
            return null;
        }

        var individual = ReadLevel(Combine(candidates, chosen, serviceType!, r => r.Level is null or "IND", $"{kind} (individual)", context), $"{kind} (individual)", context);
        var family = ReadLevel(Combine(candidates, chosen, serviceType!, r => r.Level is "FAM", $"{kind} (family)", context), $"{kind} (family)", context);
        if (chosen.Any(r => r.Level is null) && individual is not null)
        {
            context.Assumptions.Add($"{context.TierName} {kind}: rows without a coverage level (EB02) read as individual");
        }

        foreach (var other in chosen.Where(r => r.Level is not (null or "IND" or "FAM")).Select(r => r.Level).Distinct())
        {
            context.Assumptions.Add($"{context.TierName} {kind}: rows at coverage level {other} are neither individual nor family and were not used");
        }

        return individual is null && family is null ? null : new LevelAmounts(individual, family);
    }

    /// <summary>
    /// The rows of one level for total, remainder and met: each from the most specific service type that states it.
    /// A payer may state the total on MH rows and the remainder only on plan-level (30) rows; taking the remainder
    /// from 30 beats reporting "nothing known to be met", and the assumption says so.
    /// </summary>
    private static List<BenefitRow> Combine(List<BenefitRow> candidates, List<BenefitRow> chosen, string serviceType, Func<BenefitRow, bool> level, string kind, TierContext context)
    {
        var atLevel = chosen.Where(level).ToList();
        var hasTotal = atLevel.Any(IsTotal);
        var hasRemaining = atLevel.Any(r => r.TimeQualifier == "29");
        var hasMet = atLevel.Any(r => r.TimeQualifier == "24");
        // A total of 0 leaves nothing to remain: there is nothing to combine.
        if (atLevel.Count == 0 || (hasTotal && (hasRemaining || hasMet)) || atLevel.Any(r => IsTotal(r) && PayerValues.ParseDecimal(r.Amount) == 0m))
        {
            return atLevel;
        }

        var first = ((List<string>)[.. ServiceTypePrecedence]).IndexOf(serviceType);
        for (var index = first + 1; index < ServiceTypePrecedence.Count; index++)
        {
            var broader = candidates.Where(r => Covers(r, index) && level(r) && TierRank(r, context.Tier) is not null)
                .OrderBy(r => TierRank(r, context.Tier))
                .ThenBy(PlaceRank)
                .ThenBy(r => r.Index)
                .ToList();
            var stc = ServiceTypePrecedence[index];
            if (!hasTotal && broader.FirstOrDefault(IsTotal) is { } total)
            {
                atLevel.Add(total);
                hasTotal = true;
                context.Assumptions.Add($"{context.TierName} {kind}: the total is stated only at service type {stc}, the remainder at {serviceType}; combined");
            }

            if (!hasRemaining && !hasMet && broader.FirstOrDefault(r => r.TimeQualifier is "29" or "24") is { } remainder)
            {
                atLevel.Add(remainder);
                hasRemaining = true;
                context.Assumptions.Add($"{context.TierName} {kind}: the total is stated at service type {serviceType}, what remains only at {stc}; combined");
            }

            if (hasTotal && (hasRemaining || hasMet))
            {
                break;
            }
        }

        return atLevel;
    }

    private static bool IsTotal(BenefitRow row) => row.TimeQualifier is null || TotalPeriods.Contains(row.TimeQualifier);

    private static Amounts? ReadLevel(List<BenefitRow> rows, string kind, TierContext context)
    {
        var totalRow = rows.FirstOrDefault(r => r.TimeQualifier is null || TotalPeriods.Contains(r.TimeQualifier));
        var remainingRow = rows.FirstOrDefault(r => r.TimeQualifier == "29");
        var metRow = rows.FirstOrDefault(r => r.TimeQualifier == "24");
        if (totalRow is null && remainingRow is null && metRow is null)
        {
            return null;
        }

        var total = Amount(totalRow, kind, context);
        var remaining = Amount(remainingRow, kind, context);
        var met = Amount(metRow, kind, context);
        var unlimited = total == PayerValues.NoLimit || remaining == PayerValues.NoLimit;
        if (unlimited)
        {
            context.Assumptions.Add($"{context.TierName} {kind}: 9999999.99 means no limit");
            return new Amounts(null, null, null, Unlimited: true);
        }

        if (total is null && remaining is null && met is null)
        {
            return null;
        }

        foreach (var row in new[] { totalRow, remainingRow, metRow })
        {
            if (row is not null)
            {
                NoteUnsaidTier(row, context, kind);
            }
        }

        if (total is { } t && remaining is null && met is { } m)
        {
            remaining = Math.Max(t - m, 0.00m);
        }
        else if (total is { } t2 && remaining is { } r && met is null)
        {
            met = Math.Max(t2 - r, 0.00m);
        }
        else if (total is null && remaining is { } r2 && met is { } m2)
        {
            total = r2 + m2;
        }
        else if (total is { } t3 && remaining is null && met is null)
        {
            if (t3 == 0m)
            {
                remaining = 0.00m;
                met = 0.00m;
            }
            else
            {
                context.Assumptions.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{context.TierName} {kind}: total {t3:0.00} given without a remainder; nothing is known to be met"));
            }
        }
        else if (total is null && remaining is not null)
        {
            context.Assumptions.Add($"{context.TierName} {kind}: remainder given without a total");
        }

        return new Amounts(total, remaining, met);
    }

    private static decimal? Amount(BenefitRow? row, string kind, TierContext context)
    {
        if (row is null)
        {
            return null;
        }

        if (PayerValues.IsPlaceholder(row.Amount))
        {
            context.Assumptions.Add($"{context.TierName} {kind}: {row.Amount?.Trim()} at {row.Where} is a filler meaning not applicable, not a cap; treated as not stated");
            return null;
        }

        var value = PayerValues.ParseDecimal(row.Amount);
        if (value is null)
        {
            context.Warnings.Add(row.Amount is null
                ? $"{row.Where}: {kind} row without an amount (EB07); treated as unknown"
                : $"{row.Where}: {kind} amount is not a number; treated as unknown");
        }
        else if (value < 0)
        {
            context.Warnings.Add($"{row.Where}: {kind} amount is negative; treated as unknown");
            return null;
        }

        return value is { } amount ? Money(amount) : null;
    }

    /// <summary>Cents, always with two decimals, so "1500" and "1500.00" read the same.</summary>
    private static decimal Money(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;

    /// <summary>A percent without trailing zeros, so ".1" and "0.10" read the same.</summary>
    private static decimal Percent(decimal value) => decimal.Round(value, 4, MidpointRounding.AwayFromZero) / 1.0000000000000000000000000000m;

    private static decimal? ReadCopay(List<BenefitRow> rows, TierContext context)
    {
        var (_, chosen) = Choose(rows.Where(r => r.Code == "B" && r.TimeQualifier is null or "7" or "27"), context, "copay");
        var row = chosen
            .OrderBy(r => TierRank(r, context.Tier))
            .ThenBy(r => r.TimeQualifier switch { "7" => 0, "27" => 1, _ => 2 })
            .ThenBy(PlaceRank)
            .ThenBy(r => r.Index)
            .FirstOrDefault();
        if (row is null)
        {
            return null;
        }

        NoteUnsaidTier(row, context, "copay");
        if (row.TimeQualifier is null)
        {
            context.Assumptions.Add($"{context.TierName} copay: {row.Where} does not say per day or per visit; read as per IOP day (one visit)");
        }

        return Amount(row, "copay", context);
    }

    private static decimal? ReadCoinsurance(List<BenefitRow> rows, TierContext context)
    {
        var (_, chosen) = Choose(rows.Where(r => r.Code == "A"), context, "coinsurance");
        var row = chosen.FirstOrDefault();
        if (row is null)
        {
            return null;
        }

        NoteUnsaidTier(row, context, "coinsurance");
        var value = PayerValues.ParseDecimal(row.Percent);
        switch (value)
        {
            case null:
                context.Warnings.Add(row.Percent is null
                    ? $"{row.Where}: coinsurance row without a percent (EB08); treated as unknown"
                    : $"{row.Where}: coinsurance percent is not a number; treated as unknown");
                return null;
            case < 0m or > 100m:
                context.Warnings.Add($"{row.Where}: coinsurance percent is outside 0–100%; treated as unknown");
                return null;
            case <= 1m:
                return Percent(value.Value * 100m);
            default:
                context.Warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Where}: coinsurance percent {value.Value} is above 1; read as {value.Value}% (EB08 should be a fraction)"));
                return Percent(value.Value);
        }
    }

    private static bool? ReadPriorAuthorization(List<BenefitRow> rows, TierContext context)
    {
        var (_, chosen) = Choose(rows.Where(r => r.AuthOrCert is "Y" or "N"), context, "prior authorisation");
        if (chosen.Count == 0)
        {
            return null;
        }

        return chosen.Any(r => r.AuthOrCert == "Y");
    }

    private static VisitLimit? ReadVisitLimit(List<BenefitRow> rows, TierContext context)
    {
        var (_, chosen) = Choose(rows.Where(r => r.Code == "F" && r.QuantityQualifier is "VS" or "DY"), context, "visit limit");
        if (chosen.Count == 0)
        {
            return null;
        }

        var unit = chosen[0].QuantityQualifier;
        var sameUnit = chosen.Where(r => r.QuantityQualifier == unit).ToList();
        var totalRow = sameUnit.FirstOrDefault(r => r.TimeQualifier is null || TotalPeriods.Contains(r.TimeQualifier));
        var remainingRow = sameUnit.FirstOrDefault(r => r.TimeQualifier == "29");
        if (totalRow is null && remainingRow is null)
        {
            return null;
        }

        var total = Quantity(totalRow, context, out var totalUnlimited);
        var remaining = Quantity(remainingRow, context, out var remainingUnlimited);
        if (totalUnlimited || remainingUnlimited)
        {
            return new VisitLimit(null, null, unit == "DY" ? "days" : "visits", Unlimited: true);
        }

        if (total is not null && remainingRow is null)
        {
            context.Assumptions.Add($"{context.TierName} visit limit: {total} given without a remainder; visits used are unknown");
        }

        return new VisitLimit(total, remaining, unit == "DY" ? "days" : "visits");
    }

    private static int? Quantity(BenefitRow? row, TierContext context, out bool unlimited)
    {
        unlimited = false;
        if (row is null)
        {
            return null;
        }

        NoteUnsaidTier(row, context, "visit limit");
        var value = PayerValues.ParseDecimal(row.Quantity);
        if (value == PayerValues.NoLimit)
        {
            unlimited = true;
            return null;
        }

        if (value is null || value < 0 || value != decimal.Truncate(value.Value) || value > int.MaxValue)
        {
            context.Warnings.Add($"{row.Where}: visit limit quantity (EB10) is not a whole number; treated as unknown");
            return null;
        }

        return (int)value.Value;
    }
}
