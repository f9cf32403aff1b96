using System.Globalization;
using CoverageCheck.Service.Features.Verifications.Completions;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// The result page's "Complete by phone" form, for the network tier that applies: it builds the API's
/// <see cref="CompletionRequest"/>, so one set of rules (<see cref="CompletionValidation"/>) judges both.
/// </summary>
internal sealed class CompletionForm
{
    private static readonly Dictionary<string, string> s_labels = new(StringComparer.Ordinal)
    {
        ["source"] = "How",
        ["call"] = "The call",
        ["call.at"] = "When",
        ["call.representative"] = "Representative",
        ["call.reference"] = "Reference number",
        ["copayPerDay"] = "Copay per IOP day",
        ["coinsurancePercent"] = "Coinsurance",
        ["deductible.individual.total"] = "Deductible",
        ["deductible.individual.remaining"] = "Deductible left",
        ["outOfPocketMax.individual.total"] = "Out-of-pocket max",
        ["outOfPocketMax.individual.remaining"] = "Out-of-pocket left",
        ["visitLimit.total"] = "Day limit",
        ["visitLimit.used"] = "Days used",
        ["visitLimit.remaining"] = "Days used",
        ["priorAuthorizationPhone"] = "Prior-authorisation phone",
        ["notes"] = "Notes",
    };

    public string Source { get; set; } = CompletionSources.Phone;
    public string? CallAt { get; set; }
    public string? Representative { get; set; }
    public string? Reference { get; set; }
    public string? CopayPerDay { get; set; }
    public string? CoinsurancePercent { get; set; }
    public string? DeductibleApplies { get; set; }
    public string? DeductibleTotal { get; set; }
    public string? DeductibleRemaining { get; set; }
    public string? OutOfPocketTotal { get; set; }
    public string? OutOfPocketRemaining { get; set; }
    public string? DayLimit { get; set; }
    public string? DaysUsed { get; set; }
    public string? PriorAuthorization { get; set; }
    public string? PriorAuthorizationPhone { get; set; }
    public string? Notes { get; set; }

    /// <summary>A field's label for the error summary ("inNetwork.copayPerDay" → "Copay per IOP day").</summary>
    public static string LabelOf(string path)
    {
        var key = path.StartsWith("inNetwork.", StringComparison.Ordinal) ? path["inNetwork.".Length..]
            : path.StartsWith("outOfNetwork.", StringComparison.Ordinal) ? path["outOfNetwork.".Length..] : path;
        return s_labels.TryGetValue(key, out var label) ? label : "Benefits";
    }

    /// <summary>The API's request for the tier that applies; numbers that are not numbers are named in <paramref name="errors"/>.</summary>
    public CompletionRequest ToRequest(bool outOfNetwork, ProgramTime time, FieldErrors errors)
    {
        var tierPath = outOfNetwork ? "outOfNetwork" : "inNetwork";
        DateTimeOffset? at = null;
        if (!string.IsNullOrWhiteSpace(CallAt))
        {
            if (DateTime.TryParseExact(CallAt.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                at = new DateTimeOffset(local, time.Zone.GetUtcOffset(local));
            }
            else
            {
                errors.Add("call.at", "Must be a date and time.");
            }
        }

        decimal? Money(string? text, string field) => Number(text, tierPath + "." + field, errors);
        int? Whole(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            errors.Add(tierPath + "." + field, "Must be a whole number.");
            return null;
        }

        static bool? YesNo(string? text) => text switch { "yes" => true, "no" => false, _ => null };

        var deductible = Amounts(Money(DeductibleTotal, "deductible.individual.total"), Money(DeductibleRemaining, "deductible.individual.remaining"));
        var outOfPocket = Amounts(Money(OutOfPocketTotal, "outOfPocketMax.individual.total"), Money(OutOfPocketRemaining, "outOfPocketMax.individual.remaining"));
        var dayLimit = Whole(DayLimit, "visitLimit.total");
        var daysUsed = Whole(DaysUsed, "visitLimit.used");
        var tier = new CompletionTierDto(
            deductible is null ? null : new CompletionLevelDto(deductible, null),
            outOfPocket is null ? null : new CompletionLevelDto(outOfPocket, null),
            Money(CopayPerDay, "copayPerDay"),
            Money(CoinsurancePercent, "coinsurancePercent"),
            YesNo(PriorAuthorization),
            dayLimit is null && daysUsed is null ? null : new CompletionVisitLimitDto(dayLimit, null, daysUsed),
            YesNo(DeductibleApplies),
            PriorAuthorizationPhone);
        return new CompletionRequest(
            new CompletionCallDto(at, Representative, Reference),
            Source,
            outOfNetwork ? null : tier,
            outOfNetwork ? tier : null,
            Notes);
    }

    private static CompletionAmountsDto? Amounts(decimal? total, decimal? remaining) =>
        total is null && remaining is null ? null : new CompletionAmountsDto(total, remaining, null);

    // "$1,200.50", "1200.5" and "20 %" read as numbers; anything else is named, never echoed.
    private static decimal? Number(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var cleaned = text.Trim().TrimStart('$').TrimEnd('%').Replace(",", "", StringComparison.Ordinal).Trim();
        if (decimal.TryParse(cleaned, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(field, "Must be a number, such as 50 or 1,200.00.");
        return null;
    }
}
