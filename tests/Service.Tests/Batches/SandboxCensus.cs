using System.Globalization;
using System.Text;
using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// A census of sandbox members the sandbox clearinghouse answers with active coverage: every row completes when the
/// payer is up. The one place such a census is written. It writes each column the service's census knows
/// (<see cref="CensusColumns.All"/>, in its order) that has a value here, so the consent columns are filled in as soon
/// as the census reader knows them; a column the census gains is one more entry in <see cref="Values"/>.
/// </summary>
internal static class SandboxCensus
{
    /// <summary>Column name and its value for row <c>n</c> (1-based).</summary>
    private static readonly Dictionary<string, Func<int, string>> Values = new(StringComparer.Ordinal)
    {
        ["patient_ref"] = n => string.Create(CultureInfo.InvariantCulture, $"P-{n:D5}"),
        ["first_name"] = _ => "AVA",
        ["last_name"] = _ => "PPOSAMPLE",
        ["date_of_birth"] = _ => "1985-04-12",
        ["payer_id"] = _ => "60054",
        ["member_id"] = _ => "W100000001",
        ["group_number"] = _ => "AET100",
        ["program_start"] = _ => "2026-12-07",
        ["days_per_week"] = _ => "5",
        ["weeks"] = _ => "8",
        ["charge_per_day"] = _ => "450.00",
        ["consent_method"] = _ => "verbal",
        ["consent_date"] = _ => "2026-11-20", // a week before the test clock's today
    };

    /// <summary>The header line and <paramref name="rows"/> data lines, each ending in a line feed.</summary>
    public static string Build(int rows)
    {
        var columns = CensusColumns.All.Where(Values.ContainsKey).ToList();
        var census = new StringBuilder(string.Join(',', columns)).Append('\n');
        for (var n = 1; n <= rows; n++)
        {
            census.AppendJoin(',', columns.Select(c => Values[c](n))).Append('\n');
        }

        return census.ToString();
    }
}
