using System.Globalization;

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
}
