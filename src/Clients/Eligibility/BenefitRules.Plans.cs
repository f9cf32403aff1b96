using System.Collections.Frozen;
using System.Globalization;

namespace CoverageCheck.Clients.Eligibility;

/// <summary>
/// The rules real answers taught (#15) about what an answer holds beside the medical plan's benefits: another
/// product's plan (dental, vision), other payers (EB01 R), non-covered behavioural health (EB01 I) and the payer's
/// words (MSG).
/// </summary>
internal static partial class BenefitRules
{
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
}
