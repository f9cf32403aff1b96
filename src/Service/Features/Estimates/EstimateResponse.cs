using System.Globalization;
using System.Text.Json.Serialization;
using CoverageCheck.Estimator;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>The answer of <c>POST /api/v1/estimates</c>: the estimate of estimator.md plus explanation and pricing used.</summary>
internal sealed record EstimateResponse(
    int Sessions,
    DateOnly? FirstSession,
    DateOnly? LastSession,
    TotalsDto Totals,
    BreakdownDto Breakdown,
    IReadOnlyList<MonthlyDto> Monthly,
    IReadOnlyList<string> Warnings,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] RangeResponseDto? Range,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SessionDto>? SessionsDetail,
    string Explanation,
    string Disclaimer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] PricingUsedDto? Pricing,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChargeRangeDto? ChargeRange)
{
    /// <summary>What the request left out and the estimate assumed instead, in plain words; absent when nothing was.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Assumptions { get; init; }

    /// <summary>Each of <see cref="Warnings"/> in words for the patient (the website shows these).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<WarningMessageDto>? WarningMessages { get; init; }

    /// <summary>The program split by the verification's authorisations (#17); absent when none is recorded.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public AuthorizationSplitDto? Authorization { get; init; }

    /// <summary>Maps a library result to the wire, money always with two decimals.</summary>
    public static EstimateResponse From(EstimateResult result, bool includeSessions, PricingUsedDto? pricing = null)
    {
        var estimate = Map(result, includeSessions);
        if (result.Range is not { } range)
        {
            return pricing is null ? estimate : estimate with { Pricing = pricing };
        }

        // A range bound that is the program itself (the estimator prices it once and copies it into the result with
        // the range) is mapped once too.
        return estimate with
        {
            Range = new RangeResponseDto(
                IsCopyOf(result, range.Low) ? estimate : Map(range.Low, includeSessions),
                IsCopyOf(result, range.High) ? estimate : Map(range.High, includeSessions)),
            Pricing = pricing,
        };
    }

    // Each priced schedule has its own monthly list; a copy made with `with` shares it.
    private static bool IsCopyOf(EstimateResult result, EstimateResult bound) => ReferenceEquals(result.Monthly, bound.Monthly);

    private static EstimateResponse Map(EstimateResult result, bool includeSessions) => new(
        result.Sessions,
        result.FirstSession,
        result.LastSession,
        new TotalsDto(Cents(result.Totals.Charges), Cents(result.Totals.Allowed), Cents(result.Totals.Patient), Cents(result.Totals.Payer)),
        new BreakdownDto(
            Cents(result.Breakdown.Copay),
            Cents(result.Breakdown.Deductible),
            Cents(result.Breakdown.Coinsurance),
            Cents(result.Breakdown.BalanceBill),
            Cents(result.Breakdown.SelfPay)),
        result.Monthly.Select(m => new MonthlyDto(
            string.Create(CultureInfo.InvariantCulture, $"{m.Year:0000}-{m.Month:00}"), m.Sessions, Cents(m.Patient), Cents(m.Payer))).ToArray(),
        result.Warnings,
        null,
        includeSessions ? result.SessionsDetail.Select(SessionDto.From).ToArray() : null,
        result.Explanation,
        result.Disclaimer,
        null,
        null)
    {
        Authorization = result.Authorization is { } split
            ? new AuthorizationSplitDto(split.SessionsAuthorized, split.SessionsBeyond, Cents(split.PatientWithinAuthorization), Cents(split.PatientIfExtended))
            : null,
    };

    /// <summary>Money on the wire always carries two decimals (<c>1200.00</c>, not <c>1200</c>).</summary>
    internal static decimal Cents(decimal amount) =>
        amount.Scale == 2 ? amount : decimal.Round(amount, 2, MidpointRounding.AwayFromZero) + 0.00m; // the ledger's amounts already are
}

/// <summary>
/// <c>authorization</c> (#17): sessions within the authorisations and beyond them; what the patient pays for the
/// sessions within, and for the whole program if the authorisation is extended to all of it (the estimate's total).
/// </summary>
internal sealed record AuthorizationSplitDto(int SessionsAuthorized, int SessionsBeyond, decimal PatientWithinAuthorization, decimal PatientIfExtended);

/// <summary>One warning for the patient: its code and plain words.</summary>
internal sealed record WarningMessageDto(string Code, string Message);

/// <summary><c>totals</c>.</summary>
internal sealed record TotalsDto(decimal Charges, decimal Allowed, decimal Patient, decimal Payer);

/// <summary><c>breakdown</c>.</summary>
internal sealed record BreakdownDto(decimal Copay, decimal Deductible, decimal Coinsurance, decimal BalanceBill, decimal SelfPay);

/// <summary>One row of <c>monthly</c>; <c>month</c> is <c>YYYY-MM</c>.</summary>
internal sealed record MonthlyDto(string Month, int Sessions, decimal Patient, decimal Payer);

/// <summary><c>range</c>: the shortest and the longest program, each a full estimate.</summary>
internal sealed record RangeResponseDto(EstimateResponse Low, EstimateResponse High);

/// <summary>One day of <c>sessionsDetail</c> (only with <c>?detail=sessions</c>).</summary>
internal sealed record SessionDto(
    DateOnly Date,
    decimal Charge,
    decimal Allowed,
    decimal Copay,
    decimal Deductible,
    decimal Coinsurance,
    decimal BalanceBill,
    decimal SelfPay,
    decimal Patient,
    decimal Payer)
{
    internal static SessionDto From(SessionEstimate s) => new(
        s.Date,
        EstimateResponse.Cents(s.Charge),
        EstimateResponse.Cents(s.Allowed),
        EstimateResponse.Cents(s.Copay),
        EstimateResponse.Cents(s.Deductible),
        EstimateResponse.Cents(s.Coinsurance),
        EstimateResponse.Cents(s.BalanceBill),
        EstimateResponse.Cents(s.SelfPay),
        EstimateResponse.Cents(s.Patient),
        EstimateResponse.Cents(s.Payer));
}

/// <summary>The rates the estimate used and where each came from (<c>request</c> or <c>rateCard</c>).</summary>
internal sealed record PricingUsedDto(
    decimal ChargePerDay,
    decimal AllowedPerDay,
    decimal SelfPayPerDay,
    decimal? SelfPayPackagePrice,
    bool ChargeKnown,
    string ChargeSource);

/// <summary>
/// Present when the program's charge is unknown (no <c>chargePerDay</c> in the request or the rate card): the same
/// program priced at the lowest and at the highest published charge. The main estimate uses the highest.
/// </summary>
internal sealed record ChargeRangeDto(decimal ChargePerDayLow, decimal ChargePerDayHigh, EstimateResponse Low, EstimateResponse High);
