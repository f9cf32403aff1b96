using System.Globalization;

namespace CoverageCheck.Estimator;

/// <summary>
/// A date as the explanation writes it, <c>March 2, 2026</c> (the invariant culture's <c>MMMM d, yyyy</c>), formatted
/// without parsing a custom format string on every use.
/// </summary>
internal readonly struct LongDate(DateOnly date) : ISpanFormattable
{
    private static readonly string[] MonthNames = CultureInfo.InvariantCulture.DateTimeFormat.MonthNames;

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        date.Deconstruct(out var year, out var month, out var day);
        return destination.TryWrite(CultureInfo.InvariantCulture, $"{MonthNames[month - 1]} {day}, {year:0000}", out charsWritten);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture);
}

/// <summary>
/// An amount as the explanation writes it after its dollar sign, <c>1,234.50</c> (the invariant culture's
/// <c>N2</c>), formatted from whole cents when it is in cents; any other amount goes through <c>N2</c> itself.
/// </summary>
internal readonly struct Dollars(decimal amount) : ISpanFormattable
{
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (amount.Scale > 2 || amount < -99_999_999_999_999m || amount > 99_999_999_999_999m || (amount == 0m && decimal.IsNegative(amount)))
        {
            return amount.TryFormat(destination, out charsWritten, "N2", CultureInfo.InvariantCulture);
        }

        var cents = (long)(amount * 100m);
        var negative = cents < 0;
        var magnitude = negative ? (ulong)-cents : (ulong)cents;
        var whole = magnitude / 100;
        var fraction = (int)(magnitude % 100);

        // Digits of the whole part with a comma every three, written backwards into a scratch buffer.
        Span<char> text = stackalloc char[32];
        var at = text.Length;
        text[--at] = (char)('0' + (fraction % 10));
        text[--at] = (char)('0' + (fraction / 10));
        text[--at] = '.';
        var digits = 0;
        do
        {
            if (digits > 0 && digits % 3 == 0)
            {
                text[--at] = ',';
            }

            text[--at] = (char)('0' + (int)(whole % 10));
            whole /= 10;
            digits++;
        }
        while (whole > 0);

        if (negative)
        {
            text[--at] = '-';
        }

        charsWritten = text.Length - at;
        return text[at..].TryCopyTo(destination);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public override string ToString() => amount.ToString("N2", CultureInfo.InvariantCulture);
}
