namespace CoverageCheck.Clients.X12;

/// <summary>
/// Shares the strings of short X12 codes (qualifiers, EB01/EB02/EB06 codes, service type codes) instead of allocating
/// one per element read: a 271 is mostly such codes. One- and two-character codes of digits and upper-case letters
/// come from tables indexed by character; known three-character codes from a switch on the packed characters.
/// </summary>
internal static class X12StringPool
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static readonly string[] One = BuildOne();
    private static readonly string[] Two = BuildTwo();

    /// <summary>One-item lists of the one- and two-character codes, filled on first use (a benign race: they are immutable).</summary>
    private static readonly IReadOnlyList<string>?[] Singles = new IReadOnlyList<string>?[Alphabet.Length * (Alphabet.Length + 1)];

    /// <summary>The element as a string, shared when it is a short code; null when empty.</summary>
    public static string? Get(ReadOnlySpan<char> value)
    {
        if (value.Length <= 2)
        {
            if (value.IsEmpty)
            {
                return null;
            }

            var a = Index(value[0]);
            if (value.Length == 1)
            {
                return a >= 0 ? One[a] : value.ToString();
            }

            var b = Index(value[1]);
            return (a | b) >= 0 ? Two[(a * Alphabet.Length) + b] : value.ToString();
        }

        return (value.Length == 3 ? Three(value) : null) ?? value.ToString();
    }

    /// <summary>
    /// A non-empty element as a one-item list (an EB03 with a single service type code): shared when it is a one- or
    /// two-character code, like the strings themselves, since most EB segments carry exactly one such code.
    /// </summary>
    public static IReadOnlyList<string> GetSingle(ReadOnlySpan<char> value)
    {
        var slot = value.Length switch
        {
            1 => Index(value[0]),
            2 when Index(value[0]) is var a and >= 0 && Index(value[1]) is var b and >= 0 => Alphabet.Length + (a * Alphabet.Length) + b,
            _ => -1,
        };

        return slot < 0 ? [Get(value)!] : Singles[slot] ??= [Get(value)!];
    }

    /// <summary>Position of <paramref name="c"/> in <see cref="Alphabet"/>; -1 when it is not there.</summary>
    private static int Index(char c) => c < 128 ? AlphabetIndex[c] - 1 : -1;

    /// <summary>Known three-character codes: the switch on the packed characters compiles to a few comparisons, no hashing.</summary>
    private static string? Three(ReadOnlySpan<char> value) => X12SegmentIds.Key(value) switch
    {
        ('I' << 16) | ('N' << 8) | 'D' => "IND",
        ('F' << 16) | ('A' << 8) | 'M' => "FAM",
        ('E' << 16) | ('M' << 8) | 'P' => "EMP",
        ('E' << 16) | ('S' << 8) | 'P' => "ESP",
        ('E' << 16) | ('C' << 8) | 'H' => "ECH",
        ('S' << 16) | ('P' << 8) | 'O' => "SPO",
        ('S' << 16) | ('P' << 8) | 'C' => "SPC",
        ('C' << 16) | ('H' << 8) | 'D' => "CHD",
        ('D' << 16) | ('E' << 8) | 'P' => "DEP",
        ('R' << 16) | ('D' << 8) | '8' => "RD8",
        ('2' << 16) | ('7' << 8) | '1' => "271",
        ('2' << 16) | ('7' << 8) | '0' => "270",
        X12SegmentIds.ISA => "ISA",
        X12SegmentIds.IEA => "IEA",
        X12SegmentIds.BHT => "BHT",
        X12SegmentIds.NM1 => "NM1",
        X12SegmentIds.PER => "PER",
        X12SegmentIds.AAA => "AAA",
        X12SegmentIds.MSG => "MSG",
        X12SegmentIds.III => "III",
        X12SegmentIds.DTP => "DTP",
        X12SegmentIds.REF => "REF",
        X12SegmentIds.TRN => "TRN",
        X12SegmentIds.DMG => "DMG",
        X12SegmentIds.INS => "INS",
        X12SegmentIds.PRV => "PRV",
        X12SegmentIds.HSD => "HSD",
        ('2' << 16) | ('9' << 8) | '1' => "291",
        ('2' << 16) | ('9' << 8) | '2' => "292",
        ('3' << 16) | ('0' << 8) | '7' => "307",
        ('3' << 16) | ('4' << 8) | '6' => "346",
        ('3' << 16) | ('4' << 8) | '7' => "347",
        ('3' << 16) | ('5' << 8) | '6' => "356",
        ('3' << 16) | ('5' << 8) | '7' => "357",
        ('4' << 16) | ('7' << 8) | '2' => "472",
        _ => null,
    };

    /// <summary>For each ASCII character, its position in <see cref="Alphabet"/> plus one; 0 when it is not there.</summary>
    private static ReadOnlySpan<byte> AlphabetIndex =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0, 0, 0, 0, 0,
        0, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ];

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
