using System.Globalization;
using System.Text;

namespace CoverageCheck.Clients.X12;

/// <summary>Who sends and who receives a 270 interchange (ISA05–08, GS02–03), and whether it is a test.</summary>
/// <param name="SenderId">Our submitter ID at the clearinghouse (ISA06, GS02), up to 15 characters.</param>
/// <param name="ReceiverId">The clearinghouse's or payer's ID (ISA08, GS03), up to 15 characters.</param>
/// <param name="SenderQualifier">ISA05, <c>ZZ</c> (mutually defined) unless agreed otherwise.</param>
/// <param name="ReceiverQualifier">ISA07, <c>ZZ</c> unless agreed otherwise.</param>
/// <param name="Production">ISA15: P when true, T (test) when false.</param>
public sealed record X12Parties(string SenderId, string ReceiverId, string SenderQualifier = "ZZ", string ReceiverQualifier = "ZZ", bool Production = false);

/// <summary>
/// Builds an X12 005010X279A1 270 eligibility inquiry (ISA/GS/ST/BHT/HL/NM1/REF/DMG/DTP/EQ/SE/GE/IEA) for one
/// subscriber (or one dependent of a subscriber, loop 2000D/2100D) and one service type. The inquiry's control number
/// is ISA13, GS06, ST02 and BHT03, so the 271 can be matched to it. Values are upper-cased, delimiter characters in
/// them are replaced by spaces (X12 has no escape), and they are cut to the guide's maximum lengths.
/// </summary>
public static class X270Builder
{
    /// <summary>Builds the 270. <paramref name="createdAt"/> comes from the caller's <see cref="TimeProvider"/>.</summary>
    /// <param name="inquiry">The question: payer, subscriber, date of service, service type, control number.</param>
    /// <param name="provider">The program asking (NM1*1P with its NPI).</param>
    /// <param name="parties">Sender and receiver IDs of the interchange.</param>
    /// <param name="createdAt">When the interchange is created (ISA09/10, GS04/05, BHT04/05).</param>
    /// <param name="payerName">Payer name for NM1*PR, when known.</param>
    /// <param name="delimiters">Delimiters to use; <see cref="X12Delimiters.Default"/> when null.</param>
    /// <param name="lineBreaks">Put a line break after each segment terminator (readable; some partners reject it).</param>
    /// <exception cref="ArgumentException">The control number is not nine digits, the service type code is empty, or the delimiters are unusable.</exception>
    public static string Build(
        EligibilityInquiry inquiry,
        InquiringProvider provider,
        X12Parties parties,
        DateTimeOffset createdAt,
        string? payerName = null,
        X12Delimiters? delimiters = null,
        bool lineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(parties);
        var d = delimiters ?? X12Delimiters.Default;
        if (!d.AreValid || d.Repetition == '\0' || d.RepetitionIsComponent)
        {
            throw new ArgumentException("The delimiters must be distinct non-alphanumeric characters, with a repetition separator.", nameof(delimiters));
        }

        var control = inquiry.ControlNumber;
        if (control.Length != 9 || !control.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The control number must be nine digits.", nameof(inquiry));
        }

        if (string.IsNullOrWhiteSpace(inquiry.ServiceTypeCode))
        {
            throw new ArgumentException("One service type code is required.", nameof(inquiry));
        }

        var writer = new SegmentWriter(d, lineBreaks);
        var date8 = createdAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time4 = createdAt.ToString("HHmm", CultureInfo.InvariantCulture);

        writer.Isa(
            "00", new string(' ', 10), "00", new string(' ', 10),
            Pad(parties.SenderQualifier, 2), Pad(parties.SenderId, 15), Pad(parties.ReceiverQualifier, 2), Pad(parties.ReceiverId, 15),
            createdAt.ToString("yyMMdd", CultureInfo.InvariantCulture), time4, d.Repetition.ToString(), "00501", control, "0",
            parties.Production ? "P" : "T", d.Component.ToString());
        writer.Segment("GS", "HS", Clean(parties.SenderId, 15, d), Clean(parties.ReceiverId, 15, d), date8, time4, control.TrimStart('0') is { Length: > 0 } group ? group : "0", "X", X271Reader.ImplementationGuide);

        var transactionStart = writer.Count;
        writer.Segment("ST", "270", control, X271Reader.ImplementationGuide);
        writer.Segment("BHT", "0022", "13", control, date8, time4);
        writer.Segment("HL", "1", string.Empty, "20", "1");
        writer.Segment("NM1", "PR", "2", Clean(payerName ?? inquiry.PayerId, 60, d), string.Empty, string.Empty, string.Empty, string.Empty, "PI", Clean(inquiry.PayerId, 80, d));
        writer.Segment("HL", "2", "1", "21", "1");
        writer.Segment("NM1", "1P", "2", Clean(provider.OrganizationName, 60, d), string.Empty, string.Empty, string.Empty, string.Empty, "XX", Clean(provider.Npi, 80, d));
        // A dependent without an ID of their own is asked about in 2000D under the subscriber (2000C): the subscriber
        // loop then carries the ID and the plan holder's name, the dependent loop the trace, the date and the question.
        var dependent = inquiry.Dependent;
        writer.Segment("HL", "3", "2", "22", dependent is null ? "0" : "1");
        if (dependent is null)
        {
            writer.Segment("TRN", "1", control, TraceOriginator(provider.Npi));
        }

        writer.Segment("NM1", "IL", "1", Clean(inquiry.LastName, 60, d), Clean(inquiry.FirstName, 35, d), string.Empty, string.Empty, string.Empty, "MI", Clean(inquiry.MemberId, 80, d));
        if (!string.IsNullOrWhiteSpace(inquiry.GroupNumber))
        {
            writer.Segment("REF", "6P", Clean(inquiry.GroupNumber, 50, d));
        }

        writer.Segment("DMG", "D8", inquiry.DateOfBirth.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        if (dependent is not null)
        {
            writer.Segment("HL", "4", "3", "23", "0");
            writer.Segment("TRN", "1", control, TraceOriginator(provider.Npi));
            writer.Segment("NM1", "03", "1", Clean(dependent.LastName, 60, d), Clean(dependent.FirstName, 35, d));
            writer.Segment("DMG", "D8", dependent.DateOfBirth.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
            writer.Segment("INS", "N", Clean(dependent.IndividualRelationshipCode, 2, d));
        }

        writer.Segment("DTP", "291", "D8", inquiry.DateOfService.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
        writer.Segment("EQ", Clean(inquiry.ServiceTypeCode, 2, d));
        var transactionSegments = writer.Count - transactionStart + 1;
        writer.Segment("SE", transactionSegments.ToString(CultureInfo.InvariantCulture), control);
        writer.Segment("GE", "1", control.TrimStart('0') is { Length: > 0 } trailer ? trailer : "0");
        writer.Segment("IEA", "1", control);
        return writer.ToString();
    }

    /// <summary>TRN03: "9" (user-assigned) followed by nine digits of the provider's NPI.</summary>
    private static string TraceOriginator(string npi)
    {
        var digits = new string(npi.Where(char.IsAsciiDigit).ToArray());
        return "9" + (digits.Length >= 9 ? digits[..9] : digits.PadLeft(9, '0'));
    }

    private static string Pad(string value, int length)
    {
        var upper = value.Trim().ToUpperInvariant();
        return upper.Length >= length ? upper[..length] : upper.PadRight(length);
    }

    private static string Clean(string? value, int maxLength, X12Delimiters delimiters)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Trim().ToUpperInvariant())
        {
            var isDelimiter = c == delimiters.Element || c == delimiters.Component || c == delimiters.Segment || c == delimiters.Repetition;
            builder.Append(isDelimiter || char.IsControl(c) ? ' ' : c);
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length > maxLength ? cleaned[..maxLength].TrimEnd() : cleaned;
    }

    private sealed class SegmentWriter(X12Delimiters delimiters, bool lineBreaks)
    {
        private readonly StringBuilder _text = new(512);

        public int Count { get; private set; }

        /// <summary>The ISA is fixed-width: its padded elements are written as given.</summary>
        public void Isa(params string[] elements)
        {
            _text.Append("ISA");
            foreach (var element in elements)
            {
                _text.Append(delimiters.Element).Append(element);
            }

            EndSegment();
        }

        public void Segment(string id, params string[] elements)
        {
            var last = elements.Length;
            while (last > 0 && elements[last - 1].Length == 0)
            {
                last--;
            }

            _text.Append(id);
            for (var i = 0; i < last; i++)
            {
                _text.Append(delimiters.Element).Append(elements[i]);
            }

            EndSegment();
        }

        public override string ToString() => _text.ToString();

        private void EndSegment()
        {
            _text.Append(delimiters.Segment);
            if (lineBreaks)
            {
                _text.Append('\n');
            }

            Count++;
        }
    }
}
