using System.Globalization;
using CoverageCheck.Estimator;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>The outcome of pricing a request read from the wire: a response, or field-named errors.</summary>
internal sealed record EstimateOutcome(EstimateResponse? Response, IReadOnlyDictionary<string, string[]> Errors);

/// <summary>
/// Fills a request's missing pricing from the rate card, validates it, runs <see cref="CostEstimator"/> and maps the
/// result to the wire. When neither the request nor the rate card gives a charge per day, the main estimate is priced
/// at the top of the published range (so it never understates the patient's cost) and <c>chargeRange</c> shows the
/// same program at the lowest and the highest published charge. Used by the estimates endpoint and by verifications.
/// </summary>
internal sealed class EstimatePricer(IOptionsMonitor<RateCardOptions> rateCard)
{
    private const string FromRequest = "request";
    private const string FromRateCard = "rateCard";
    private const string FromPublishedRange = "publishedRange";

    /// <summary>Prices <paramref name="input"/>; returns errors keyed by wire field path when a rule is broken.</summary>
    /// <param name="input">The request as read from the wire.</param>
    /// <param name="includeSessions">Whether to include the day-by-day ledger (<c>sessionsDetail</c>).</param>
    public EstimateOutcome Estimate(EstimateInput input, bool includeSessions)
    {
        var card = rateCard.CurrentValue;
        var given = input.Pricing;
        var chargeKnown = given?.ChargePerDay is not null || card.ChargePerDay is not null;
        var charge = given?.ChargePerDay ?? card.ChargePerDay ?? card.ChargeRangeHigh ?? 0m;
        var pricing = new Pricing(
            charge,
            given?.AllowedPerDay ?? PercentOf(charge, input.AllowedPercentOfCharge) ?? card.AllowedPerDay,
            given?.SelfPayPerDay ?? card.SelfPayPerDay,
            given?.SelfPayPackagePrice ?? card.SelfPayPackagePrice);
        var request = new EstimateRequest { Program = input.Program, Pricing = pricing, Coverage = input.Coverage, Range = input.Range, Authorizations = input.Authorizations, IncludeSessionsDetail = includeSessions };

        if (!CostEstimator.TryEstimate(request, out var estimate, out var errors))
        {
            return new EstimateOutcome(null, errors);
        }

        var used = new PricingUsedDto(
            EstimateResponse.Cents(pricing.ChargePerDay),
            EstimateResponse.Cents(pricing.EffectiveAllowedPerDay),
            EstimateResponse.Cents(pricing.EffectiveSelfPayPerDay),
            pricing.SelfPayPackagePrice is { } package ? EstimateResponse.Cents(package) : null,
            chargeKnown,
            given?.ChargePerDay is not null ? FromRequest : chargeKnown ? FromRateCard : FromPublishedRange);
        var response = EstimateResponse.From(estimate, includeSessions, used);
        if (chargeKnown)
        {
            return new EstimateOutcome(Explained(response, input.Assumptions), errors);
        }

        var low = card.ChargeRangeLow!.Value;
        var atLow = EstimateResponse.From(
            CostEstimator.Estimate(new EstimateRequest
            {
                Program = input.Program,
                Pricing = pricing with { ChargePerDay = low, AllowedPerDay = PercentOf(low, input.AllowedPercentOfCharge) ?? pricing.AllowedPerDay },
                Coverage = input.Coverage,
                Authorizations = input.Authorizations,
                IncludeSessionsDetail = includeSessions,
            }),
            includeSessions);
        var atHigh = response with { Range = null, Pricing = null, SessionsDetail = includeSessions ? response.SessionsDetail : null };
        var warnings = response.Warnings.Append(EstimateWarningTexts.ChargeUnknown).Order(StringComparer.Ordinal).ToArray();
        var sentence = string.Create(
            CultureInfo.InvariantCulture,
            $"We do not know the program's daily charge yet; it publishes {Money(low)} to {Money(charge)} a day. These figures use {Money(charge)}, the top of that range, so they do not understate your cost. For this schedule you would pay about {Money(atLow.Totals.Patient)} at {Money(low)} a day and about {Money(atHigh.Totals.Patient)} at {Money(charge)} a day. ");

        var priced = response with
        {
            Warnings = warnings,
            Explanation = sentence + response.Explanation,
            ChargeRange = new ChargeRangeDto(EstimateResponse.Cents(low), EstimateResponse.Cents(charge), atLow, atHigh),
        };
        return new EstimateOutcome(
            Explained(priced, [.. input.Assumptions, $"The program's daily charge is not known: the estimate uses {Money(charge)}, the top of the published range."]),
            errors);
    }

    // The answer's own words: what was assumed, and each warning for the patient.
    private static EstimateResponse Explained(EstimateResponse response, IReadOnlyList<string> assumptions) => response with
    {
        Assumptions = assumptions.Count == 0 ? null : assumptions,
        WarningMessages = response.Warnings.Count == 0
            ? null
            : [.. response.Warnings.Select(code => new WarningMessageDto(code, EstimateWarningTexts.For(code).Patient))],
    };

    // A percent of the charge, to the cent (half away from zero, as estimator.md rounds money).
    private static decimal? PercentOf(decimal charge, decimal? percent) =>
        percent is { } p ? decimal.Round(charge * p / 100m, 2, MidpointRounding.AwayFromZero) : null;

    private static string Money(decimal amount) => "$" + amount.ToString("N2", CultureInfo.InvariantCulture);
}
