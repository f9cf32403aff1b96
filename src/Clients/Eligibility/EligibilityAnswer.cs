using System.Globalization;

namespace CoverageCheck.Clients.Eligibility;

/// <summary>
/// The common form both wire formats are brought to before normalisation, so the clearinghouse JSON and its X12 twin
/// go through exactly the same rules.
/// </summary>
internal sealed record EligibilityAnswer(
    PayerInfo? Payer,
    string? GroupNumber,
    DateOnly? PlanBegin,
    DateOnly? PlanEnd,
    DateOnly? EligibilityBegin,
    DateOnly? EligibilityEnd,
    IReadOnlyList<BenefitRow> Rows,
    IReadOnlyList<AaaError> Errors,
    IReadOnlyList<string> Warnings)
{
    /// <summary>A plan name the answer gives outside the EB rows (2100C REF 18/CE description, <c>planInformation.planDescription</c>).</summary>
    public string? PlanReferenceName { get; init; }
}

/// <summary>
/// One EB row, whichever format it came in, with its EB01–EB12 values as sent. <c>Source</c> and <c>Position</c>
/// locate it in the input for messages: "benefitsInformation[3]" or "segment 22 (EB)".
/// </summary>
internal sealed record BenefitRow(
    int Index,
    BenefitRowSource Source,
    int Position,
    string? Code,
    string? Level,
    IReadOnlyList<string> ServiceTypes,
    string? PlanCoverage,
    string? TimeQualifier,
    string? Amount,
    string? Percent,
    string? QuantityQualifier,
    string? Quantity,
    string? AuthOrCert,
    string? Network,
    IReadOnlyList<string> PlacesOfService,
    IReadOnlyList<string> Messages,
    IReadOnlyList<RelatedParty> Entities)
{
    /// <summary>Where the row is in the input, for messages (formatted only when a message needs it).</summary>
    public string Where => Source switch
    {
        BenefitRowSource.X12 => string.Create(CultureInfo.InvariantCulture, $"segment {Position} (EB)"),
        BenefitRowSource.PlanStatus => string.Create(CultureInfo.InvariantCulture, $"planStatus[{Position}]"),
        _ => string.Create(CultureInfo.InvariantCulture, $"benefitsInformation[{Position}]"),
    };

    /// <summary>Bit i is set when the row is about <see cref="BenefitRules.ServiceTypePrecedence"/>[i]; a row without EB03 is about 30.</summary>
    public int PrecedenceMask { get; } = BenefitRules.MaskOf(ServiceTypes);

    /// <summary>EB04 insurance type code (e.g. <c>MA</c>, <c>HM</c>, <c>OT</c>), when sent.</summary>
    public string? InsuranceType { get; init; }

    /// <summary>EB13-1 product/service ID qualifier (e.g. <c>AD</c> for ADA dental codes, <c>HC</c> for HCPCS), when sent.</summary>
    public string? ProcedureQualifier { get; init; }

    /// <summary>The row's own begin date (DTP 346/292/348 or the start of a 291/292 range), when sent.</summary>
    public DateOnly? Begin { get; init; }

    /// <summary>The row's own end date (DTP 347/349 or the end of a 291/292 range), when sent.</summary>
    public DateOnly? End { get; init; }
}

/// <summary>Which part of the input a row came from.</summary>
internal enum BenefitRowSource
{
    BenefitsInformation,
    PlanStatus,
    X12,
}

/// <summary>A 2120 related entity reduced to what a carve-out or other coverage needs.</summary>
/// <param name="Name">Name (NM103/NM104).</param>
/// <param name="Phone">Telephone (PER).</param>
/// <param name="Id">Identification (NM109), e.g. a payer ID.</param>
/// <param name="Role">Entity identifier code (NM101), e.g. <c>PR</c> payer, <c>PRP</c> primary payer.</param>
internal sealed record RelatedParty(string? Name, string? Phone, string? Id = null, string? Role = null)
{
    /// <summary>What <see cref="Id"/> is (NM108, JSON <c>entityIdentification</c>): <c>MI</c> / "Member Identification Number", <c>PI</c> / "Payor Identification", <c>XX</c> (NPI) …</summary>
    public string? IdQualifier { get; init; }

    /// <summary>True when <see cref="Id"/> may be the member's ID there: said to be one (MI, "Member Identification…"), or not said.</summary>
    public bool IdIsMemberId => IdQualifier is null or "MI" || IdQualifier.StartsWith("Member Identification", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Parsing of the payer's text values with the invariant culture, never throwing.</summary>
internal static class PayerValues
{
    /// <summary>The "no limit" amount payers send.</summary>
    public const decimal NoLimit = 9999999.99m;

    /// <summary>
    /// True for a filler amount other than <see cref="NoLimit"/>: four or more nines, with only nines after the
    /// point (<c>99999.99</c>, <c>999999</c>). Payers send these for "not applicable", not as a cap.
    /// </summary>
    public static bool IsPlaceholder(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("$"))
        {
            span = span[1..];
        }

        var point = span.IndexOf('.');
        var whole = point < 0 ? span : span[..point];
        var fraction = point < 0 ? [] : span[(point + 1)..];
        if (whole.Length < 4 || whole.ContainsAnyExcept('9') || fraction.ContainsAnyExcept('9'))
        {
            return false;
        }

        return ParseDecimal(text) != NoLimit;
    }

    /// <summary>Reads "1500", "1500.00", ".2", "-0", "$1,500.00"; null for anything else.</summary>
    public static decimal? ParseDecimal(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var span = text.AsSpan().Trim();
        if (span.StartsWith("$"))
        {
            span = span[1..];
        }

        return decimal.TryParse(span, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    /// <summary>
    /// Reads a date or a range: <c>YYYYMMDD</c>, <c>YYYY-MM-DD</c>, <c>YYYYMMDD-YYYYMMDD</c>, <c>YYYY-MM-DD-YYYY-MM-DD</c>.
    /// 9999-12-31 (open-ended) reads as no date.
    /// </summary>
    public static (DateOnly? Begin, DateOnly? End, bool Readable) ParseDateOrRange(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, null, true);
        }

        var span = text.AsSpan().Trim();
        if (TryDate(span, out var single))
        {
            return (OpenEnded(single), OpenEnded(single), true);
        }

        if (span.Length == 17 && span[8] == '-' && TryDate(span[..8], out var first) && TryDate(span[9..], out var last))
        {
            return (OpenEnded(first), OpenEnded(last), true);
        }

        if (span.Length == 21 && span[10] == '-' && TryDate(span[..10], out first) && TryDate(span[11..], out last))
        {
            return (OpenEnded(first), OpenEnded(last), true);
        }

        return (null, null, false);
    }

    private static bool TryDate(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        return text.Length switch
        {
            8 => X12.X12Date.TryParseCompact(text, out date),
            10 => DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date),
            _ => false,
        };
    }

    private static DateOnly? OpenEnded(DateOnly date) => date == DateOnly.MaxValue || date == new DateOnly(9999, 12, 31) ? null : date;
}
