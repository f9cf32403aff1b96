using System.Collections.Frozen;

namespace CoverageCheck.Clients.X12;

/// <summary>
/// Shares the strings of short X12 codes (qualifiers, EB01/EB02/EB06 codes, service type codes) instead of allocating
/// one per element read: a 271 is mostly such codes. One- and two-character codes of digits and upper-case letters
/// come from tables indexed by character; known three-character codes from a frozen set.
/// </summary>
internal static class X12StringPool
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static readonly string[] One = BuildOne();
    private static readonly string[] Two = BuildTwo();
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> Three = FrozenSet
        .Create(StringComparer.Ordinal, "IND", "FAM", "EMP", "ESP", "ECH", "SPO", "SPC", "CHD", "DEP", "RD8", "271", "270", "ISA", "IEA", "BHT", "NM1", "PER", "AAA", "MSG", "III", "DTP", "REF", "TRN", "DMG", "INS", "PRV", "HSD", "291", "292", "307", "346", "347", "356", "357", "472")
        .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The element as a string, shared when it is a short code; null when empty.</summary>
    public static string? Get(ReadOnlySpan<char> value)
    {
        switch (value.Length)
        {
            case 0:
                return null;
            case 1 when Index(value[0]) is var a and >= 0:
                return One[a];
            case 2 when Index(value[0]) is var a and >= 0 && Index(value[1]) is var b and >= 0:
                return Two[(a * Alphabet.Length) + b];
            case 3 when Three.TryGetValue(value, out var shared):
                return shared;
            default:
                return value.ToString();
        }
    }

    private static int Index(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        _ => -1,
    };

    private static string[] BuildOne() => Alphabet.Select(c => c.ToString()).ToArray();

    private static string[] BuildTwo()
    {
        var codes = new string[Alphabet.Length * Alphabet.Length];
        for (var a = 0; a < Alphabet.Length; a++)
        {
            for (var b = 0; b < Alphabet.Length; b++)
            {
                codes[(a * Alphabet.Length) + b] = string.Concat(Alphabet[a].ToString(), Alphabet[b].ToString());
            }
        }

        return codes;
    }
}
