using CoverageCheck.Estimator;

namespace CoverageCheck.Service.Features.Estimates;

// The wire format of estimator.md (JSON, camelCase), read and written by EstimatesJsonContext and shown as-is in the
// OpenAPI document. Every member is optional on the wire: what is required, and every range, is a rule of
// EstimateRequestValidation and the estimator, so that one 400 names every missing and every bad field.

/// <summary>The body of <c>POST /api/v1/estimates</c>.</summary>
internal sealed record EstimateRequestDto(ProgramDto? Program, PricingDto? Pricing, CoverageDto? Coverage, RangeDto? Range);

/// <summary><c>program</c>: dates as <c>YYYY-MM-DD</c>, weekdays as <c>Mon</c> … <c>Sun</c>.</summary>
internal sealed record ProgramDto(
    DateOnly? StartDate,
    int? Weeks,
    int? DaysPerWeek,
    IReadOnlyList<string>? SessionWeekdays = null,
    IReadOnlyList<DateOnly>? SessionDates = null,
    IReadOnlyList<DateOnly>? ClosedDates = null);

/// <summary><c>pricing</c>: optional as a whole and field by field; the rate card fills what is missing.</summary>
internal sealed record PricingDto(
    decimal? ChargePerDay = null,
    decimal? AllowedPerDay = null,
    decimal? SelfPayPerDay = null,
    decimal? SelfPayPackagePrice = null);

/// <summary><c>coverage</c>: null or absent means self-pay. Absent members take estimator.md's defaults; choices are camelCase (<c>active</c>, <c>in</c>).</summary>
internal sealed record CoverageDto(
    CoverageStatus? Status = null,
    NetworkStatus? Network = null,
    string? PlanYearStart = null,
    DateOnly? CoverageEndDate = null,
    DeductibleDto? Deductible = null,
    decimal? CopayPerDay = null,
    bool? CopayCountsTowardOutOfPocket = null,
    decimal? CoinsurancePercent = null,
    AmountsDto? OutOfPocketMax = null,
    int? VisitLimitPerPlanYear = null,
    bool? PriorAuthorizationRequired = null,
    AccumulatorsDto? Accumulators = null);

/// <summary><c>coverage.deductible</c>.</summary>
internal sealed record DeductibleDto(decimal? Individual = null, decimal? Family = null, bool? Embedded = null, bool? AppliesToService = null);

/// <summary>An individual and a family amount.</summary>
internal sealed record AmountsDto(decimal? Individual = null, decimal? Family = null);

/// <summary><c>coverage.accumulators</c>: met so far in the plan year of the first session.</summary>
internal sealed record AccumulatorsDto(
    decimal? DeductibleIndividualMet = null,
    decimal? DeductibleFamilyMet = null,
    decimal? OutOfPocketIndividualMet = null,
    decimal? OutOfPocketFamilyMet = null,
    int? VisitsUsed = null);

/// <summary><c>range</c>: also price the shortest and the longest program.</summary>
internal sealed record RangeDto(MinMaxDto? Weeks, MinMaxDto? DaysPerWeek);

/// <summary>An inclusive range.</summary>
internal sealed record MinMaxDto(int? Min, int? Max);

/// <summary>Pricing as the request gave it, before the rate card fills the gaps.</summary>
internal sealed record PricingInput(decimal? ChargePerDay, decimal? AllowedPerDay, decimal? SelfPayPerDay, decimal? SelfPayPackagePrice)
{
    internal static PricingInput? From(PricingDto? pricing) => pricing is null
        ? null
        : new(pricing.ChargePerDay, pricing.AllowedPerDay, pricing.SelfPayPerDay, pricing.SelfPayPackagePrice);
}

/// <summary>A request ready to price: the estimator's own types, with estimator.md's defaults filled in.</summary>
internal sealed record EstimateInput(ProgramSchedule Program, PricingInput? Pricing, Coverage? Coverage, ProgramRange? Range)
{
    /// <summary>What the request left out and the estimate assumed instead, in plain words.</summary>
    public IReadOnlyList<string> Assumptions { get; init; } = [];

    /// <summary>Out of network under a contract that allows a percent of the charge (#17): the allowed amount is this percent of the charge used, to the cent.</summary>
    public decimal? AllowedPercentOfCharge { get; init; }

    /// <summary>The program's authorisations (#17), for the estimate's <c>authorization</c> split; null when none.</summary>
    public IReadOnlyList<Authorization>? Authorizations { get; init; }
}
