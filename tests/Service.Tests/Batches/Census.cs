using System.Text;
using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>Helpers for census tests: read a census from text or bytes with a fixed payer table and date.</summary>
internal static class Census
{
    public static readonly DateOnly Today = new(2026, 11, 28);

    public static readonly HashSet<string> KnownPayers = new(StringComparer.Ordinal) { "60054", "62308", "87726", "61101", "94134", "CMS", "610442", "00710" };

    /// <summary>The required columns and the two required consent columns (consent_expires and consent_given_by left out).</summary>
    public static readonly string Header = string.Join(',', [.. CensusColumns.Required, CensusColumns.ConsentMethod, CensusColumns.ConsentDate]);

    /// <summary>The consent fields every valid row ends with: given verbally a week before <see cref="Today"/>.</summary>
    public const string ConsentFields = ",verbal,2026-11-20";

    public static CensusReader Reader() => new(KnownPayers.Contains);

    public static Task<List<CensusLine>> ReadAsync(string text) => ReadAsync(Encoding.UTF8.GetBytes(text));

    public static async Task<List<CensusLine>> ReadAsync(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        var lines = new List<CensusLine>();
        await foreach (var line in Reader().ReadAsync(stream, Today))
        {
            lines.Add(line);
        }

        return lines;
    }

    /// <summary>A valid data line; <paramref name="patientRef"/> and the member ID vary with <paramref name="n"/>.</summary>
    public static string Row(int n, string? patientRef = null) =>
        $"{patientRef ?? $"P-{n:D5}"},ANN{n % 97},TESTER,1980-01-{1 + (n % 28):D2},60054,W{n:D9},GRP1,2026-12-07,5,8,450.00{ConsentFields}";
}
