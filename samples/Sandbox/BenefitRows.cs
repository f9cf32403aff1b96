namespace CoverageCheck.Sandbox;

/// <summary>One EB segment (loop 2110C), written both as a v3 <c>benefitsInformation</c> item and as X12.</summary>
internal sealed record BenefitRow(
    string Code,
    string? CoverageLevelCode,
    IReadOnlyList<string> ServiceTypeCodes,
    string? InsuranceTypeCode = null,
    string? PlanCoverage = null,
    string? TimeQualifierCode = null,
    decimal? Amount = null,
    decimal? Percent = null,
    string? QuantityQualifierCode = null,
    decimal? Quantity = null,
    string? AuthOrCert = null,
    string? Network = null,
    IReadOnlyList<string>? Messages = null,
    SandboxCarveOut? Entity = null);

/// <summary>Plan dates as the payer states them (DTP 346/347/356, or a 291 range, and 357).</summary>
internal sealed record PlanDates(DateOnly PlanBegin, DateOnly? PlanEnd, DateOnly EligibilityBegin, DateOnly? EligibilityEnd = null, bool AsRange = false);

/// <summary>Turns a member's coverage into the rows a payer would send for a date of service.</summary>
internal static class BenefitRows
{
    public static bool IsActiveOn(SandboxCoverage coverage, DateOnly dateOfService) =>
        coverage.Active && (EndOf(coverage, dateOfService) is not { } end || dateOfService <= end);

    /// <summary>The last day of coverage, when it ends: a fixed date, or so many days after the date of service.</summary>
    public static DateOnly? EndOf(SandboxCoverage coverage, DateOnly dateOfService) =>
        coverage.EndsDaysAfterService is { } days ? dateOfService.AddDays(days) : coverage.TerminatedOn;

    public static PlanDates DatesFor(SandboxCoverage coverage, DateOnly dateOfService)
    {
        var planBegin = new DateOnly(dateOfService.Year, 1, 1);
        var planEnd = new DateOnly(dateOfService.Year, 12, 31);
        var terminated = EndOf(coverage, dateOfService);
        DateOnly? end = IsActiveOn(coverage, dateOfService)
            ? (terminated is { } t && t < planEnd ? t : planEnd)
            : terminated ?? new DateOnly(dateOfService.Year, dateOfService.Month, 1).AddDays(-1);
        if (end < planBegin)
        {
            planBegin = new DateOnly(end.Value.Year, 1, 1);
        }

        var eligibilityBegin = new DateOnly(planBegin.Year - 2, 3, 1);
        return coverage.EndStatedAs switch
        {
            // The plan year runs to 31 December and renews; the member's eligibility stops earlier.
            CoverageEndKind.EligibilityEnd when end is { } stop && stop < new DateOnly(planBegin.Year, 12, 31) =>
                new PlanDates(planBegin, new DateOnly(planBegin.Year, 12, 31), eligibilityBegin, EligibilityEnd: stop),
            CoverageEndKind.PlanRange => new PlanDates(planBegin, end, eligibilityBegin, AsRange: true),
            _ => new PlanDates(planBegin, end, eligibilityBegin),
        };
    }

    public static IReadOnlyList<BenefitRow> For(SandboxCoverage coverage, DateOnly dateOfService)
    {
        var rows = new List<BenefitRow>();
        var level = coverage.CoverageLevelCode;
        var stc = coverage.BehaviouralServiceType;
        var specific = stc != "30";

        if (!IsActiveOn(coverage, dateOfService))
        {
            rows.Add(new BenefitRow("6", level, ["30"], coverage.InsuranceTypeCode, coverage.PlanName));
            return rows;
        }

        rows.Add(new BenefitRow("1", level, ["30"], coverage.InsuranceTypeCode, coverage.PlanName,
            Messages: specific ? null : coverage.Messages));
        if (specific)
        {
            rows.Add(new BenefitRow("1", null, [stc], Network: coverage.NetworkIndicators ? "W" : null, Messages: coverage.Messages));
        }

        if (coverage.PlanLevel is { } plan)
        {
            AddAccumulators(rows, plan.InNetwork, coverage.NetworkIndicators ? "Y" : null);
            AddAccumulators(rows, plan.OutOfNetwork, "N");
        }

        AddTier(rows, coverage.InNetwork, stc, coverage.NetworkIndicators ? "Y" : null);
        AddTier(rows, coverage.OutOfNetwork, stc, "N");

        if (coverage.NetworkIndicators && coverage.InNetwork is not null && coverage.OutOfNetwork is null)
        {
            rows.Add(new BenefitRow("I", "IND", [stc], Network: "N", Messages: ["Out-of-network services are not covered."]));
        }

        if (coverage.CarveOut is { } carveOut)
        {
            rows.Add(new BenefitRow("U", level, specific ? [stc, "MH"] : ["MH"],
                Messages: [$"Please contact your Behavioral Health Program Administrator @ {FormatPhone(carveOut.Phone)}"],
                Entity: carveOut));
        }

        return rows;
    }

    private static void AddAccumulators(List<BenefitRow> rows, SandboxAccumulators? accumulators, string? network)
    {
        if (accumulators is null)
        {
            return;
        }

        AddAmount(rows, "C", "IND", accumulators.IndividualDeductible, network);
        AddAmount(rows, "C", "FAM", accumulators.FamilyDeductible, network);
        AddAmount(rows, "G", "IND", accumulators.IndividualOutOfPocket, network);
        AddAmount(rows, "G", "FAM", accumulators.FamilyOutOfPocket, network);
    }

    private static void AddAmount(List<BenefitRow> rows, string code, string level, SandboxAmount? amount, string? network)
    {
        if (amount is null)
        {
            return;
        }

        rows.Add(new BenefitRow(code, level, ["30"], TimeQualifierCode: "23", Amount: amount.Total, Network: network));
        rows.Add(new BenefitRow(code, level, ["30"], TimeQualifierCode: "29", Amount: amount.Remaining, Network: network));
    }

    private static void AddTier(List<BenefitRow> rows, SandboxTier? tier, string stc, string? network)
    {
        if (tier is null)
        {
            return;
        }

        var auth = tier.AuthorizationRequired ? "Y" : "N";
        if (tier.CopayPerVisit is { } copay)
        {
            rows.Add(new BenefitRow("B", "IND", [stc], TimeQualifierCode: "27", Amount: copay, AuthOrCert: auth, Network: network));
        }

        if (tier.CoinsuranceShare is { } share)
        {
            rows.Add(new BenefitRow("A", "IND", [stc], Percent: share, AuthOrCert: auth, Network: network));
        }

        if (tier.VisitLimit is { } visits)
        {
            rows.Add(new BenefitRow("F", "IND", [stc], TimeQualifierCode: "23", QuantityQualifierCode: "VS", Quantity: visits.Total, Network: network));
            rows.Add(new BenefitRow("F", "IND", [stc], TimeQualifierCode: "29", QuantityQualifierCode: "VS", Quantity: visits.Remaining, Network: network));
        }
    }

    internal static string FormatPhone(string digits) =>
        digits.Length == 10 ? $"1-{digits[..3]}-{digits[3..6]}-{digits[6..]}" : digits;
}
