using System.Globalization;
using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>How report values are spelled in text (CSV, HTML): invariant culture, ISO dates, lowercase booleans.</summary>
internal static class ReportText
{
    public static string Format(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        decimal d => d.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Money for people: two decimals with thousands separators, no currency sign.</summary>
    public static string Money(decimal? amount) => amount?.ToString("#,##0.00", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>
    /// A spreadsheet runs a cell that begins with = + - @ (or a tab or carriage return) as a formula; text from a census
    /// could do that on purpose. Such text gets a leading apostrophe, which spreadsheets show as plain text (OWASP "CSV injection").
    /// </summary>
    public static string DefuseFormula(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>One other payer in words: "MEDICARE ADVANTAGE PLAN (payer 12345, HM) from 2026-01-01 to 2026-12-31".</summary>
    public static string OtherCoverage(OtherCoverage other)
    {
        var name = other.PayerName ?? other.Description ?? "another payer";
        var details = string.Join(", ", new[] { other.PayerId is { } id ? "payer " + id : null, other.InsuranceType }.OfType<string>());
        var text = details.Length > 0 ? $"{name} ({details})" : name;
        if (other.Begin is { } begin)
        {
            text += " from " + Format(begin);
        }

        if (other.End is { } end)
        {
            text += " to " + Format(end);
        }

        return text;
    }

    /// <summary>Which tiers the payer says do not cover the care: "in network", "out of network", or "in and out of network".</summary>
    /// <summary>
    /// The carve-out administrator: "ACME Behavioral Health (ACMBH)" when the figures are its benefits (from its
    /// linked verification), its name and "not verified" when it was not asked (not configured, or still pending).
    /// </summary>
    public static string? Administrator(NormalizedCoverage coverage) => coverage switch
    {
        { BenefitsFrom: { } from } => $"{from.Name} ({from.PayerId})",
        { CarveOut: { } carveOut } => $"{carveOut.Name ?? "another administrator"} (not verified)",
        _ => null,
    };

    public static string NonCovered(NonCovered nonCovered) => (nonCovered.InNetwork, nonCovered.OutOfNetwork) switch
    {
        (true, true) => "in and out of network",
        (true, false) => "in network",
        _ => "out of network",
    };
}
