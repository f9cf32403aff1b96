using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace CoverageCheck.Clients.X12;

/// <summary>
/// Reads X12 segments one at a time from text, without copying it: delimiters come from the ISA segment, line breaks
/// and blanks between segments are skipped, and a byte-order mark or leading whitespace before the ISA is tolerated.
/// </summary>
/// <remarks>
/// <para>The reader never throws on bad input. When the ISA cannot be read, <see cref="Fault"/> says why and
/// <see cref="Read"/> returns false straight away.</para>
/// <para>A <see cref="X12Segment"/> is a view into the input and into the reader's element table: it is valid until the
/// next call to <see cref="Read"/>.</para>
/// </remarks>
public ref struct X12SegmentReader
{
    /// <summary>The shortest ISA that can hold its 16 elements (the standard one is 106 characters).</summary>
    private const int MinimumIsaLength = 3 + 16 + 2;

    /// <summary>How far to look for the ISA's 16 element separators before giving up (the standard ISA is 106 characters).</summary>
    private const int MaximumIsaLength = 200;

    private readonly ReadOnlySpan<char> _text;
    private Span<int> _starts;
    private int _offset;
    private int _position;

    /// <summary>Starts reading <paramref name="text"/>, which must begin (after any BOM or whitespace) with an ISA segment.</summary>
    public X12SegmentReader(ReadOnlySpan<char> text)
        : this(text, new int[32])
    {
    }

    /// <summary>
    /// Starts reading <paramref name="text"/> with <paramref name="starts"/> as the table of element starts (a stack
    /// buffer saves an allocation per interchange); a segment with more elements than it holds moves to the heap.
    /// </summary>
    internal X12SegmentReader(ReadOnlySpan<char> text, Span<int> starts)
    {
        _text = text;
        _starts = starts.Length >= 2 ? starts : new int[32];
        var start = SkipLeadingNoise(text);
        if (TryReadDelimiters(text[start..], out var delimiters, out var fault))
        {
            Delimiters = delimiters;
            _offset = start;
        }
        else
        {
            Fault = fault;
            _offset = text.Length;
        }
    }

    /// <summary>The interchange's delimiters, read from its ISA segment.</summary>
    public X12Delimiters Delimiters { get; }

    /// <summary>Why the input cannot be read at all (no ISA, or an ISA too short to hold its delimiters); null when it can.</summary>
    public X12Issue? Fault { get; }

    /// <summary>True once a segment has been read that ran to the end of the input without a segment terminator.</summary>
    public bool LastSegmentUnterminated { get; private set; }

    /// <summary>How many segments have been read so far.</summary>
    public readonly int SegmentCount => _position;

    /// <summary>Reads the next segment; false at the end of the input.</summary>
    public bool Read(out X12Segment segment)
    {
        var text = _text;
        var terminator = Delimiters.Segment;
        var offset = _offset;
        while (offset < text.Length && IsSkippable(text[offset], terminator))
        {
            offset++;
        }

        if (offset >= text.Length)
        {
            _offset = offset;
            segment = default;
            return false;
        }

        var rest = text[offset..];
        var (count, end) = ScanSegment(rest, Delimiters.Element, terminator, ref _starts);
        ReadOnlySpan<char> body;
        bool terminated;
        if (end < 0)
        {
            // Only blanks are trimmed, never an element separator (it cannot be one), so the starts found still hold.
            body = rest.TrimEnd();
            terminated = false;
            LastSegmentUnterminated = true;
            _offset = text.Length;
        }
        else
        {
            body = rest[..end];
            terminated = true;
            _offset = offset + end + 1;
        }

        // A newline terminator in a file saved with CRLF leaves a carriage return on every segment.
        if (terminator == '\n' && body.EndsWith('\r'))
        {
            body = body[..^1];
        }

        _starts[count] = body.Length + 1;
        _position++;
        segment = new X12Segment(body, _starts[..(count + 1)], Delimiters, _position, offset, terminated);
        return true;
    }

    /// <summary>
    /// Finds the segment terminator in <paramref name="rest"/> (-1 when there is none) and, on the way, where each
    /// element starts, so element i is <c>body[starts[i]..(starts[i + 1] - 1)]</c> once the caller has written the
    /// sentinel (body length + 1) after the last start. Returns the element count, the segment ID included.
    /// </summary>
    /// <remarks>
    /// One pass for both delimiters, 16 characters at a time: the bit masks of element separators and of the
    /// terminator come from two vector compares, and each set bit is an element start. Searching for the terminator
    /// and then splitting (<c>IndexOf</c> plus <c>MemoryExtensions.Split</c>) read every segment twice and paid a
    /// search set-up per element of a few characters; it was the largest cost of reading a 271.
    /// </remarks>
    private static (int Count, int End) ScanSegment(ReadOnlySpan<char> rest, char separator, char terminator, ref Span<int> starts)
    {
        starts[0] = 0;
        var count = 1;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var chars = MemoryMarshal.Cast<char, ushort>(rest);
            ref var first = ref MemoryMarshal.GetReference(chars);
            var separators = Vector256.Create((ushort)separator);
            var terminators = Vector256.Create((ushort)terminator);
            // The loop condition keeps every 16-character load inside the span.
            for (; i <= chars.Length - Vector256<ushort>.Count; i += Vector256<ushort>.Count)
            {
                var block = Vector256.LoadUnsafe(ref first, (nuint)i);
                var separatorBits = Vector256.Equals(block, separators).ExtractMostSignificantBits();
                var terminatorBits = Vector256.Equals(block, terminators).ExtractMostSignificantBits();
                if (terminatorBits != 0)
                {
                    var end = BitOperations.TrailingZeroCount(terminatorBits);
                    count = AddStarts(separatorBits & ((1u << end) - 1), i, count, ref starts);
                    return (count, i + end);
                }

                count = AddStarts(separatorBits, i, count, ref starts);
            }
        }

        for (; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == separator)
            {
                // One slot is always kept free for the sentinel.
                if (count + 1 == starts.Length)
                {
                    var grown = new int[starts.Length * 2];
                    starts.CopyTo(grown);
                    starts = grown;
                }

                starts[count++] = i + 1;
            }
            else if (c == terminator)
            {
                return (count, i);
            }
        }

        return (count, -1);
    }

    /// <summary>Records an element start after each separator whose bit is set in <paramref name="bits"/> (bit 0 is <paramref name="at"/>).</summary>
    /// <remarks>
    /// Without a branch per separator: eight slots are written whatever the count (the unused ones are overwritten
    /// later or lie past the sentinel), so the loop has a fixed trip count instead of a mispredicted exit per block.
    /// </remarks>
    private static int AddStarts(uint bits, int at, int count, ref Span<int> starts)
    {
        // Room for 16 starts and the sentinel.
        if (count + 17 > starts.Length)
        {
            var grown = new int[Math.Max(starts.Length * 2, count + 17)];
            starts.CopyTo(grown);
            starts = grown;
        }

        var found = BitOperations.PopCount(bits);
        var slots = starts.Slice(count, 16);
        var next = at + 1;
        for (var k = 0; k < 8; k++)
        {
            slots[k] = next + BitOperations.TrailingZeroCount(bits);
            bits &= bits - 1;
        }

        if (found > 8)
        {
            for (var k = 8; k < 16; k++)
            {
                slots[k] = next + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
            }
        }

        return count + found;
    }

    /// <summary>
    /// Reads the delimiters from an ISA segment at the start of <paramref name="text"/>. The ISA is walked element by
    /// element rather than assumed to be 106 characters, so an ISA with trimmed padding still reads.
    /// </summary>
    public static bool TryReadDelimiters(ReadOnlySpan<char> text, out X12Delimiters delimiters, out X12Issue? fault)
    {
        delimiters = default;
        if (!text.StartsWith("ISA", StringComparison.Ordinal))
        {
            var found = text[..Math.Min(3, text.Length)].ToString();
            fault = new X12Issue(X12IssueSeverity.Error, 1, null, null,
                text.IsEmpty ? "the input is empty: an X12 interchange starts with an ISA segment" : $"expected an ISA segment at the start of the input, found '{Printable(found)}'");
            return false;
        }

        if (text.Length < MinimumIsaLength)
        {
            fault = new X12Issue(X12IssueSeverity.Error, 1, "ISA", null, "the ISA segment is truncated: it must hold 16 elements");
            return false;
        }

        var element = text[3];
        if (char.IsLetterOrDigit(element) || char.IsWhiteSpace(element))
        {
            fault = new X12Issue(X12IssueSeverity.Error, 1, "ISA", null, $"'{Printable(element.ToString())}' after ISA cannot be an element separator");
            return false;
        }

        Span<int> separators = stackalloc int[16];
        var found16 = 0;
        var limit = Math.Min(text.Length, MaximumIsaLength);
        for (var i = 3; i < limit && found16 < 16; i++)
        {
            if (text[i] == element)
            {
                separators[found16++] = i;
            }
        }

        if (found16 < 16 || separators[15] + 2 >= text.Length)
        {
            fault = new X12Issue(X12IssueSeverity.Error, 1, "ISA", found16 < 16 ? found16 : 16,
                found16 < 16
                    ? string.Create(CultureInfo.InvariantCulture, $"the ISA segment is truncated: found {found16} of its 16 elements")
                    : "the ISA segment is truncated: it ends before its component separator (ISA16) and segment terminator");
            return false;
        }

        var component = text[separators[15] + 1];
        var terminator = text[separators[15] + 2];
        var isa11 = text[(separators[10] + 1)..separators[11]];
        var repetition = isa11.Length == 1 && !char.IsLetterOrDigit(isa11[0]) ? isa11[0] : '\0';
        delimiters = new X12Delimiters(element, repetition, component, terminator);
        if (!delimiters.AreValid)
        {
            fault = new X12Issue(X12IssueSeverity.Error, 1, "ISA", 16,
                $"the delimiters read from the ISA are not usable (element '{Printable(element.ToString())}', component '{Printable(component.ToString())}', segment terminator '{Printable(terminator.ToString())}')");
            delimiters = default;
            return false;
        }

        fault = null;
        return true;
    }

    private static int SkipLeadingNoise(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && (text[start] == '\uFEFF' || char.IsWhiteSpace(text[start])))
        {
            start++;
        }

        return start;
    }

    private static bool IsSkippable(char c, char terminator) =>
        c != terminator && (c == '\r' || c == '\n' || c == ' ' || c == '\t');

    private static string Printable(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}

/// <summary>
/// One X12 segment: a view into the input that is valid until the reader moves on. Elements are addressed by their
/// position as in the implementation guide (<c>segment[3]</c> is EB03); a position past the end reads as empty.
/// </summary>
public readonly ref struct X12Segment
{
    private readonly ReadOnlySpan<char> _text;

    /// <summary>Where each element starts in <see cref="_text"/>, then the sentinel <c>_text.Length + 1</c>.</summary>
    private readonly ReadOnlySpan<int> _starts;

    internal X12Segment(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, X12Delimiters delimiters, int position, int offset, bool terminated)
    {
        _text = text;
        _starts = starts;
        Delimiters = delimiters;
        Position = position;
        Offset = offset;
        IsTerminated = terminated;
        IdKey = starts.Length < 2 ? 0 : X12SegmentIds.Key(Element(0));
    }

    /// <summary>The segment's text without its terminator.</summary>
    public ReadOnlySpan<char> Text => _text;

    /// <summary>The segment ID (element 0), e.g. <c>EB</c>.</summary>
    public ReadOnlySpan<char> Id => _starts.Length < 2 ? default : Element(0);

    /// <summary>1-based position of the segment in the input (the ISA is 1).</summary>
    public int Position { get; }

    /// <summary>Character offset of the segment in the input.</summary>
    public int Offset { get; }

    /// <summary>False when the input ended before this segment's terminator.</summary>
    public bool IsTerminated { get; }

    /// <summary>The interchange's delimiters.</summary>
    public X12Delimiters Delimiters { get; }

    /// <summary>How many elements follow the segment ID, trailing empty ones included.</summary>
    public int ElementCount => Math.Max(0, _starts.Length - 2);

    /// <summary>Element at a 1-based position; empty when absent.</summary>
    public ReadOnlySpan<char> this[int position] =>
        position >= 1 && position < _starts.Length - 1 ? Element(position) : default;

    /// <summary>The segment ID packed into an integer (see <see cref="X12SegmentIds"/>), for fast dispatch; 0 when longer than three characters.</summary>
    public int IdKey { get; }

    /// <summary>True when the segment ID is <paramref name="id"/>.</summary>
    public bool Is(ReadOnlySpan<char> id) => Id.SequenceEqual(id);

    /// <summary>True when the segment ID is two or three upper-case letters or digits starting with a letter, as X12 requires.</summary>
    public bool HasValidId
    {
        get
        {
            var id = Id;
            if (id.Length is < 2 or > 3 || !char.IsAsciiLetterUpper(id[0]))
            {
                return false;
            }

            foreach (var c in id)
            {
                if (!char.IsAsciiLetterUpper(c) && !char.IsAsciiDigit(c))
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Element at a 1-based position as a string, without leading or trailing blanks (payers pad values:
    /// <c>617591011C21T </c>); null when empty, blank or absent. Short codes are shared, not allocated.
    /// </summary>
    public string? GetString(int position) => X12StringPool.Get(this[position].Trim(' '));

    /// <summary>Component (1-based) of a composite element; empty when absent.</summary>
    public ReadOnlySpan<char> GetComponent(int position, int component)
    {
        var element = this[position];
        var index = 1;
        foreach (var range in element.Split(Delimiters.Component))
        {
            if (index++ == component)
            {
                return element[range];
            }
        }

        return default;
    }

    private ReadOnlySpan<char> Element(int index)
    {
        var start = _starts[index];
        return _text.Slice(start, _starts[index + 1] - 1 - start);
    }
}

/// <summary>Segment IDs packed into integers (up to three ASCII characters), so readers can switch on them cheaply.</summary>
public static class X12SegmentIds
{
#pragma warning disable CS1591 // The constants are the segment IDs they are named after.
    public const int ISA = ('I' << 16) | ('S' << 8) | 'A';
    public const int GS = ('G' << 8) | 'S';
    public const int ST = ('S' << 8) | 'T';
    public const int SE = ('S' << 8) | 'E';
    public const int GE = ('G' << 8) | 'E';
    public const int IEA = ('I' << 16) | ('E' << 8) | 'A';
    public const int BHT = ('B' << 16) | ('H' << 8) | 'T';
    public const int HL = ('H' << 8) | 'L';
    public const int NM1 = ('N' << 16) | ('M' << 8) | '1';
    public const int PER = ('P' << 16) | ('E' << 8) | 'R';
    public const int AAA = ('A' << 16) | ('A' << 8) | 'A';
    public const int EB = ('E' << 8) | 'B';
    public const int LS = ('L' << 8) | 'S';
    public const int LE = ('L' << 8) | 'E';
    public const int TRN = ('T' << 16) | ('R' << 8) | 'N';
    public const int REF = ('R' << 16) | ('E' << 8) | 'F';
    public const int DTP = ('D' << 16) | ('T' << 8) | 'P';
    public const int DMG = ('D' << 16) | ('M' << 8) | 'G';
    public const int INS = ('I' << 16) | ('N' << 8) | 'S';
    public const int N3 = ('N' << 8) | '3';
    public const int N4 = ('N' << 8) | '4';
    public const int PRV = ('P' << 16) | ('R' << 8) | 'V';
    public const int HI = ('H' << 8) | 'I';
    public const int MPI = ('M' << 16) | ('P' << 8) | 'I';
    public const int MSG = ('M' << 16) | ('S' << 8) | 'G';
    public const int III = ('I' << 16) | ('I' << 8) | 'I';
    public const int HSD = ('H' << 16) | ('S' << 8) | 'D';
    public const int EQ = ('E' << 8) | 'Q';
#pragma warning restore CS1591

    /// <summary>Packs an ID of up to three ASCII characters; 0 for anything else.</summary>
    public static int Key(ReadOnlySpan<char> id)
    {
        if (id.Length is 0 or > 3)
        {
            return 0;
        }

        var key = 0;
        foreach (var c in id)
        {
            if (c > 0x7F)
            {
                return 0;
            }

            key = (key << 8) | c;
        }

        return key;
    }
}
