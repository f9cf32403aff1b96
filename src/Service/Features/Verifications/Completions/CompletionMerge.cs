using System.Globalization;
using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Service.Features.Verifications.Completions;

/// <summary>
/// The coverage shown and estimated from after completions: the payer's answer, then each completion in the order it
/// was entered, each field it gives replacing what was there. Every field keeps its source (<c>coverage.sources</c>):
/// <c>payer-answer</c>, or the completion's source with who entered it, when the call was and its reference.
/// </summary>
internal static class CompletionMerge
{
    public static (NormalizedCoverage Coverage, IReadOnlyList<string> FromCalls) Apply(NormalizedCoverage payer, IReadOnlyList<Completion> completions)
    {
        var sources = new SortedDictionary<string, FieldSource>(StringComparer.Ordinal);
        var payerSource = new FieldSource(FieldSource.PayerAnswer);
        PayerFields(payer.InNetwork, "inNetwork", sources, payerSource);
        PayerFields(payer.OutOfNetwork, "outOfNetwork", sources, payerSource);

        var inNetwork = payer.InNetwork;
        var outOfNetwork = payer.OutOfNetwork;
        var carveOut = payer.CarveOut;
        var fromCalls = new List<string>();
        foreach (var completion in completions)
        {
            var source = new FieldSource(completion.Source, completion.EnteredBy, completion.Call.At, completion.Call.Reference);
            var fields = new List<string>();
            inNetwork = Tier(inNetwork, completion.InNetwork, "inNetwork", sources, source, fields);
            outOfNetwork = Tier(outOfNetwork, completion.OutOfNetwork, "outOfNetwork", sources, source, fields);
            if (completion.CarveOut is { } told)
            {
                carveOut = new CarveOut(told.Name, told.Phone, carveOut?.ServiceType ?? "MH", "Reported by the payer's representative");
                sources["carveOut"] = source;
                fields.Add("carveOut");
            }

            if (fields.Count > 0)
            {
                fromCalls.Add(Describe(completion, fields));
            }
        }

        return (payer with { InNetwork = inNetwork, OutOfNetwork = outOfNetwork, CarveOut = carveOut, Sources = sources }, fromCalls);
    }

    private static string Describe(Completion completion, List<string> fields)
    {
        var how = completion.Source == CompletionSources.Portal ? "the payer's portal" : "the call with " + (completion.Call.Representative ?? "the payer");
        var when = completion.Call.At?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var reference = completion.Call.Reference is { } r ? $", reference {r}" : "";
        return $"From {how} on {when}{reference} (entered by {completion.EnteredBy}): {string.Join(", ", fields.Select(Words).Distinct(StringComparer.Ordinal))}.";
    }

    // "inNetwork.deductible.individual.remaining" → "in-network individual deductible"
    private static string Words(string path)
    {
        var parts = path.Split('.');
        var tier = parts[0] switch { "inNetwork" => "in-network", "outOfNetwork" => "out-of-network", _ => "" };
        var what = parts.Length > 1 ? parts[1] : parts[0];
        var level = parts.Length > 2 && parts[2] is "individual" or "family" ? parts[2] + " " : "";
        var field = what switch
        {
            "deductible" => level + "deductible",
            "outOfPocketMax" => level + "out-of-pocket maximum",
            "copayPerDay" => "copay per IOP day",
            "coinsurancePercent" => "coinsurance",
            "priorAuthorizationRequired" => "prior authorisation",
            "priorAuthorizationPhone" => "prior-authorisation phone",
            "visitLimit" => "day limit",
            "deductibleAppliesToService" => "whether the deductible applies",
            "carveOut" => "carve-out",
            _ => what,
        };
        return tier.Length == 0 ? field : tier + " " + field;
    }

    private static BenefitTier? Tier(BenefitTier? tier, CompletionTierDto? given, string path, IDictionary<string, FieldSource> sources, FieldSource source, List<string> fields)
    {
        if (given is null)
        {
            return tier;
        }

        tier ??= new BenefitTier(null, null, null, null, null, null);
        void Mark(string field)
        {
            sources[path + "." + field] = source;
            fields.Add(path + "." + field);
        }

        var deductible = Level(tier.Deductible, given.Deductible, path + ".deductible", sources, source, fields);
        var outOfPocket = Level(tier.OutOfPocketMax, given.OutOfPocketMax, path + ".outOfPocketMax", sources, source, fields);
        var copay = tier.CopayPerDay;
        if (given.CopayPerDay is { } givenCopay)
        {
            copay = givenCopay;
            Mark("copayPerDay");
        }

        var coinsurance = tier.CoinsurancePercent;
        if (given.CoinsurancePercent is { } givenCoinsurance)
        {
            coinsurance = givenCoinsurance;
            Mark("coinsurancePercent");
        }

        var priorAuthorization = tier.PriorAuthorizationRequired;
        if (given.PriorAuthorizationRequired is { } givenPriorAuthorization)
        {
            priorAuthorization = givenPriorAuthorization;
            Mark("priorAuthorizationRequired");
        }

        var visitLimit = tier.VisitLimit;
        if (given.VisitLimit is { Total: { } total } limit)
        {
            var remaining = limit.Remaining ?? (limit.Used is { } used ? total - used : null);
            visitLimit = new VisitLimit(total, remaining, visitLimit?.Unit ?? "visits");
            Mark("visitLimit.total");
            if (remaining is not null)
            {
                Mark("visitLimit.remaining");
            }
        }

        var applies = tier.DeductibleAppliesToService;
        if (given.DeductibleAppliesToService is { } givenApplies)
        {
            applies = givenApplies;
            Mark("deductibleAppliesToService");
        }

        var phone = tier.PriorAuthorizationPhone;
        if (!string.IsNullOrWhiteSpace(given.PriorAuthorizationPhone))
        {
            phone = given.PriorAuthorizationPhone.Trim();
            Mark("priorAuthorizationPhone");
        }

        return new BenefitTier(deductible, outOfPocket, copay, coinsurance, priorAuthorization, visitLimit)
        {
            DeductibleAppliesToService = applies,
            PriorAuthorizationPhone = phone,
        };
    }

    private static LevelAmounts? Level(LevelAmounts? level, CompletionLevelDto? given, string path, IDictionary<string, FieldSource> sources, FieldSource source, List<string> fields)
    {
        if (given is null)
        {
            return level;
        }

        var individual = Amounts(level?.Individual, given.Individual, path + ".individual", sources, source, fields);
        var family = Amounts(level?.Family, given.Family, path + ".family", sources, source, fields);
        return individual is null && family is null ? null : new LevelAmounts(individual, family);
    }

    // A completion's total, remaining and met replace the payer's; a value it leaves out is derived from the two given
    // (remaining = total − met), else kept from the payer only when it still fits the new total.
    private static Amounts? Amounts(Amounts? amounts, CompletionAmountsDto? given, string path, IDictionary<string, FieldSource> sources, FieldSource source, List<string> fields)
    {
        if (given is null || (given.Total is null && given.Remaining is null && given.Met is null))
        {
            return amounts;
        }

        var total = given.Total ?? amounts?.Total;
        var remaining = given.Remaining;
        var met = given.Met;
        if (remaining is null && met is not null && total is not null)
        {
            remaining = total - met;
        }
        else if (met is null && remaining is not null && total is not null)
        {
            met = total - remaining;
        }
        else if (remaining is null && met is null)
        {
            // Only a new total: what the payer said remains still holds if it fits.
            remaining = amounts?.Remaining is { } left && left <= total ? left : null;
            met = remaining is not null ? total - remaining : null;
        }

        foreach (var (field, value) in new[] { ("total", given.Total), ("remaining", given.Remaining), ("met", given.Met) })
        {
            if (value is not null)
            {
                sources[path + "." + field] = source;
                fields.Add(path + "." + field);
            }
        }

        return new Amounts(total, remaining, met);
    }

    private static void PayerFields(BenefitTier? tier, string path, IDictionary<string, FieldSource> sources, FieldSource payer)
    {
        if (tier is null)
        {
            return;
        }

        void Add(string field, bool present)
        {
            if (present)
            {
                sources[path + "." + field] = payer;
            }
        }

        foreach (var (name, level) in new[] { ("deductible", tier.Deductible), ("outOfPocketMax", tier.OutOfPocketMax) })
        {
            foreach (var (which, amounts) in new[] { ("individual", level?.Individual), ("family", level?.Family) })
            {
                Add($"{name}.{which}.total", amounts?.Total is not null || amounts?.Unlimited == true);
                Add($"{name}.{which}.remaining", amounts?.Remaining is not null);
                Add($"{name}.{which}.met", amounts?.Met is not null);
            }
        }

        Add("copayPerDay", tier.CopayPerDay is not null);
        Add("coinsurancePercent", tier.CoinsurancePercent is not null);
        Add("priorAuthorizationRequired", tier.PriorAuthorizationRequired is not null);
        Add("visitLimit.total", tier.VisitLimit?.Total is not null || tier.VisitLimit?.Unlimited == true);
        Add("visitLimit.remaining", tier.VisitLimit?.Remaining is not null);
        Add("deductibleAppliesToService", tier.DeductibleAppliesToService is not null);
        Add("priorAuthorizationPhone", tier.PriorAuthorizationPhone is not null);
    }
}
