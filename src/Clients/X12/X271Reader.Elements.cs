namespace CoverageCheck.Clients.X12;

/// <summary>The 271 reader's element readers: names, contacts, rejections, references, dates, repeats and numbers.</summary>
public static partial class X271Reader
{
    private partial struct ReadState
    {
        private X12Name ReadName(in X12Segment segment) => new(
            segment.GetString(1) ?? string.Empty,
            segment.GetString(2),
            segment.GetString(3),
            segment.GetString(4),
            segment.GetString(5),
            segment.GetString(8),
            segment.GetString(9));

        private static X12Contact ReadContact(in X12Segment segment)
        {
            var numbers = new List<X12CommunicationNumber>(3);
            for (var element = 3; element <= 7; element += 2)
            {
                if (segment.GetString(element) is { } qualifier && segment.GetString(element + 1) is { } number)
                {
                    numbers.Add(new X12CommunicationNumber(qualifier, number));
                }
            }

            return new X12Contact(segment.GetString(1), segment.GetString(2), numbers);
        }

        private static X12Rejection ReadRejection(in X12Segment segment, string loop) =>
            new(loop, segment.GetString(1), segment.GetString(3), segment.GetString(4), segment.Position);

        private static X12Reference ReadReference(in X12Segment segment) =>
            new(segment.GetString(1) ?? string.Empty, segment.GetString(2), segment.GetString(3));

        private X12Date ReadDate(in X12Segment segment)
        {
            var date = X12Date.Create(segment.GetString(1) ?? string.Empty, segment.GetString(2), segment.GetString(3));
            if (date.Value is not null && date.Begin is null)
            {
                Warning(segment, 3, $"date '{Shorten(segment[3])}' is neither CCYYMMDD nor CCYYMMDD-CCYYMMDD");
            }

            return date;
        }

        private IReadOnlyList<string> ReadRepeats(ReadOnlySpan<char> element)
        {
            if (element.IsEmpty)
            {
                return [];
            }

            var separator = delimiters.Repetition;
            var count = separator == '\0' ? 0 : element.Count(separator);
            if (count == 0)
            {
                return X12StringPool.GetSingle(element);
            }

            var values = new string[count + 1];
            var filled = 0;
            foreach (var range in element.Split(separator))
            {
                if (X12StringPool.Get(element[range]) is { } value)
                {
                    values[filled++] = value;
                }
            }

            return filled == values.Length ? values : values[..filled];
        }

        private void CheckNumber(in X12Segment segment, int position, string what)
        {
            var value = segment[position];
            if (!value.IsEmpty && !IsDecimal(value))
            {
                Warning(segment, position, $"{what} '{Shorten(value)}' is not a number; it is treated as unknown");
            }
        }

        /// <summary>X12 R (decimal) and N (numeric) values: an optional minus, digits, at most one decimal point.</summary>
        private static bool IsDecimal(ReadOnlySpan<char> value)
        {
            if (value[0] == '-')
            {
                value = value[1..];
            }

            var digits = 0;
            var points = 0;
            foreach (var c in value)
            {
                if (char.IsAsciiDigit(c))
                {
                    digits++;
                }
                else if (c != '.' || ++points > 1)
                {
                    return false;
                }
            }

            return digits > 0;
        }

        private void Warning(in X12Segment segment, int? element, string message) =>
            (_warnings ??= []).Add(new X12Issue(X12IssueSeverity.Warning, segment.Position, X12StringPool.Get(segment.Id), element, message));

        private void Warning(int position, string? segmentId, int? element, string message) =>
            (_warnings ??= []).Add(new X12Issue(X12IssueSeverity.Warning, position, segmentId, element, message));

        private void Error(int position, string? segmentId, int? element, string message) =>
            (_errors ??= []).Add(new X12Issue(X12IssueSeverity.Error, position, segmentId, element, message));

        private static string KeyToId(int key)
        {
            Span<char> id = stackalloc char[3];
            var length = 0;
            for (var shift = 16; shift >= 0; shift -= 8)
            {
                var c = (char)((key >> shift) & 0xFF);
                if (c != '\0' || length > 0)
                {
                    id[length++] = c;
                }
            }

            return X12StringPool.Get(id[..length])!;
        }

        /// <summary>Echoes at most a few characters of bad input (it could hold member data).</summary>
        private static string Shorten(ReadOnlySpan<char> value)
        {
            const int Limit = 12;
            var text = value.Length <= Limit ? value.ToString() : string.Concat(value[..Limit], "…");
            return text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
        }
    }
}
