using System.Globalization;
using System.Text;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// A census of sandbox members the sandbox clearinghouse answers with active coverage: every row completes when the
/// payer is up. The one place such a census is written: a column the census gains (consent, say) is one more entry in
/// <see cref="Columns"/>.
/// </summary>
internal static class SandboxCensus
{
    /// <summary>Column name and its value for row <c>n</c> (1-based), in file order.</summary>
    private static readonly (string Name, Func<int, string> Value)[] Columns =
    [
        ("patient_ref", n => string.Create(CultureInfo.InvariantCulture, $"P-{n:D5}")),
        ("first_name", _ => "AVA"),
        ("last_name", _ => "PPOSAMPLE"),
        ("date_of_birth", _ => "1985-04-12"),
        ("payer_id", _ => "60054"),
        ("member_id", _ => "W100000001"),
        ("group_number", _ => "AET100"),
        ("program_start", _ => "2026-12-07"),
        ("days_per_week", _ => "5"),
        ("weeks", _ => "8"),
        ("charge_per_day", _ => "450.00"),
    ];

    /// <summary>The header line and <paramref name="rows"/> data lines, each ending in a line feed.</summary>
    public static string Build(int rows)
    {
        var census = new StringBuilder(string.Join(',', Columns.Select(c => c.Name))).Append('\n');
        for (var n = 1; n <= rows; n++)
        {
            census.AppendJoin(',', Columns.Select(c => c.Value(n))).Append('\n');
        }

        return census.ToString();
    }
}
