using System.Collections.Frozen;

namespace CoverageCheck.Clients.X12;

/// <summary>
/// Shares the strings of short X12 codes (qualifiers, EB01/EB02/EB06 codes, service type codes) instead of allocating
/// one per element read: a 271 is mostly such codes.
/// </summary>
internal static class X12StringPool
{
    private static readonly FrozenSet<string> Codes = BuildCodes();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup = Codes.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The element as a string, shared when it is a short code; null when empty.</summary>
    public static string? Get(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        if (value.Length <= 3 && Lookup.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return value.ToString();
    }

    private static FrozenSet<string> BuildCodes()
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        var codes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in alphabet)
        {
            codes.Add(a.ToString());
            foreach (var b in alphabet)
            {
                codes.Add(string.Concat(a.ToString(), b.ToString()));
            }
        }

        string[] longer = ["IND", "FAM", "EMP", "ESP", "ECH", "SPO", "SPC", "CHD", "DEP", "RD8", "271", "270", "HB", "HS", "001", "002", "003", "004", "018", "019", "020", "021", "022", "025", "0022", "291", "292", "295", "304", "307", "318", "340", "341", "342", "343", "346", "347", "348", "349", "356", "357", "435", "472", "636", "771"];
        codes.UnionWith(longer);
        return codes.ToFrozenSet(StringComparer.Ordinal);
    }
}
