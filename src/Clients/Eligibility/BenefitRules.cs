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
            InsuranceType = noMedicalCoverage ? null : ReadInsuranceType(rows),
            OtherCoverage = otherCoverage,
            Messages = ReadMessages(rows),
        };
    }

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

    /// <summary>The plan's insurance type (EB04) from the active-coverage rows, the plan as a whole first (#17: contracts match on it).</summary>
    private static string? ReadInsuranceType(List<BenefitRow> rows) =>
        rows.FirstOrDefault(r => ActiveCodes.Contains(r.Code!) && r.InsuranceType is not null && Covers(r, PlanAsAWhole))?.InsuranceType
        ?? rows.FirstOrDefault(r => ActiveCodes.Contains(r.Code!) && r.InsuranceType is not null && !IsOtherProductOnly(r))?.InsuranceType;

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
            return new CarveOut(entity?.Name, phone, ServiceTypePrecedence[stc], message, entity is { IdIsMemberId: true } ? entity.Id : null);
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
