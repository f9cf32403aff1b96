using System.Globalization;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Remittances;

/// <summary>
/// Reads X12 835 remittances (005010X221A1; 004010X091A1 with a warning) with the project's own segment reader:
/// payer and payee (N1*PR/PE), payment (BPR, TRN), per claim (CLP) its status, amounts, adjustments (CAS at claim and
/// line level), patient (NM1*QC), dates and service lines (SVC, DTM, CAS, AMT*B6), and provider adjustments (PLB).
/// Never throws on bad input: what cannot be read is an issue naming the segment and element. Totals that do not
/// balance are warnings, never refusals.
/// </summary>
public static class X835Reader
{
    private const string ImplementationGuide = "005010X221A1";

    public static Remittance Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var issues = new List<X12Issue>();
        var transactions = new List<RemittanceTransaction>();
        text = WithTerminatorsAfterLineBreaks(text, issues);
        var reader = new X12SegmentReader(text);
        if (reader.Fault is { } fault)
        {
            issues.Add(fault);
            return new Remittance(transactions, issues);
        }

        var state = new State(issues, transactions);
        while (reader.Read(out var segment))
        {
            state.On(segment);
        }

        state.End(reader.SegmentCount);
        return new Remittance(transactions, issues);
    }

    /// <summary>
    /// Some senders break the line before each segment terminator ("…ISA16\n~GS…\n~ST…"): read by position the ISA's
    /// terminator would be the line feed. When the character after ISA16 is a line break followed by a terminator-like
    /// character, the line breaks before that character are dropped (they carry nothing) and a warning says so.
    /// </summary>
    private static string WithTerminatorsAfterLineBreaks(string text, List<X12Issue> issues)
    {
        var isa = text.IndexOf("ISA", StringComparison.Ordinal);
        if (isa < 0 || text.Length < isa + 107)
        {
            return text;
        }

        var element = text[isa + 3];
        var separators = 0;
        var position = isa + 3;
        while (position < text.Length && separators < 16)
        {
            if (text[position] == element)
            {
                separators++;
            }

            position++;
        }

        // position: ISA16 (one character), then the terminator.
        var after = position + 1;
        if (after >= text.Length || text[after] is not ('\r' or '\n'))
        {
            return text;
        }

        var next = after;
        while (next < text.Length && text[next] is '\r' or '\n')
        {
            next++;
        }

        if (next >= text.Length || char.IsLetterOrDigit(text[next]) || char.IsWhiteSpace(text[next]))
        {
            return text;
        }

        var terminator = text[next];
        issues.Add(new X12Issue(X12IssueSeverity.Warning, 1, "ISA", 16,
            $"a line break comes between ISA16 and the '{terminator}' segment terminator (each segment ends at the start of the next line); line breaks before terminators were ignored"));
        return text.Replace("\r\n" + terminator, terminator.ToString(), StringComparison.Ordinal).Replace("\n" + terminator, terminator.ToString(), StringComparison.Ordinal);
    }

    private sealed class State(List<X12Issue> issues, List<RemittanceTransaction> transactions)
    {
        private bool _inTransaction;
        private bool _skip;
        private string? _controlNumber;
        private string? _version;
        private string? _groupVersion;
        private int _segments;
        private int _stPosition;
        private RemittanceParty _payer = new(null, null, null, null);
        private RemittanceParty _payee = new(null, null, null, null);
        private RemittancePayment _payment = new(null, null, null, null, null, null);
        private string? _trace;
        private string? _originator;
        private char _party;   // 'R' payer, 'E' payee, or none
        private List<RemittanceClaim> _claims = [];
        private List<ProviderAdjustment> _plb = [];
        private ClaimBuilder? _claim;
        private LineBuilder? _line;

        public void On(in X12Segment segment)
        {
            var id = segment.Id;
            if (id.SequenceEqual("ISA") || id.SequenceEqual("IEA"))
            {
                return;
            }

            if (id.SequenceEqual("GS"))
            {
                _groupVersion = segment.GetString(8);
                return;
            }

            if (id.SequenceEqual("GE"))
            {
                return;
            }

            if (id.SequenceEqual("ST"))
            {
                Start(segment);
                return;
            }

            if (!_inTransaction)
            {
                Issue(X12IssueSeverity.Warning, segment, null, "segment outside an ST/SE transaction; not read");
                return;
            }

            _segments++;
            if (id.SequenceEqual("SE"))
            {
                Finish(segment);
                return;
            }

            if (_skip)
            {
                return;
            }

            switch (id)
            {
                case "BPR":
                    _payment = new RemittancePayment(
                        segment.GetString(1), Money(segment, 2), segment.GetString(3), segment.GetString(4), segment.GetString(5), Date(segment, 16));
                    break;
                case "TRN":
                    _trace = segment.GetString(2);
                    _originator = segment.GetString(3);
                    break;
                case "N1":
                    OnParty(segment);
                    break;
                case "REF":
                    OnReference(segment);
                    break;
                case "CLP":
                    CloseClaim();
                    _party = '\0';
                    _claim = new ClaimBuilder(segment.GetString(1) ?? "", segment.GetString(2), Money(segment, 3), Money(segment, 4), Money(segment, 5),
                        segment.GetString(6), segment.GetString(7), segment.GetString(8), segment.GetString(9));
                    if (string.IsNullOrEmpty(_claim.PatientControlNumber))
                    {
                        Issue(X12IssueSeverity.Warning, segment, 1, "CLP01 (patient control number) is empty; the claim cannot be matched");
                    }

                    break;
                case "CAS":
                    OnAdjustment(segment);
                    break;
                case "NM1" when _claim is not null && segment[1].SequenceEqual("QC"):
                    _claim.LastName = segment.GetString(3);
                    _claim.FirstName = segment.GetString(4);
                    _claim.MemberId = segment.GetString(9);
                    break;
                case "DTM":
                    OnDate(segment);
                    break;
                case "SVC":
                    OnService(segment);
                    break;
                case "AMT" when _line is not null && segment[1].SequenceEqual("B6"):
                    _line.Allowed = Money(segment, 2);
                    break;
                case "PLB":
                    CloseClaim();
                    OnProviderAdjustment(segment);
                    break;
            }
        }

        public void End(int segmentCount)
        {
            if (_inTransaction)
            {
                issues.Add(new X12Issue(X12IssueSeverity.Error, segmentCount, "SE", null,
                    $"transaction {_controlNumber} (ST at segment {_stPosition}) has no SE: the file looks truncated"));
                Close();
            }

            if (transactions.Count == 0 && issues.All(i => i.Severity != X12IssueSeverity.Error))
            {
                issues.Add(new X12Issue(X12IssueSeverity.Error, null, null, null, "the file holds no 835 transaction"));
            }
        }

        private void Start(in X12Segment segment)
        {
            if (_inTransaction)
            {
                Issue(X12IssueSeverity.Error, segment, null, $"transaction {_controlNumber} has no SE before the next ST: it looks truncated");
                Close();
            }

            _inTransaction = true;
            _segments = 1;
            _stPosition = segment.Position;
            _controlNumber = segment.GetString(2);
            _version = segment.GetString(3) ?? _groupVersion;
            _payer = new RemittanceParty(null, null, null, null);
            _payee = new RemittanceParty(null, null, null, null);
            _payment = new RemittancePayment(null, null, null, null, null, null);
            _trace = _originator = null;
            _party = '\0';
            _claims = [];
            _plb = [];
            _claim = null;
            _line = null;
            _skip = !segment[1].SequenceEqual("835");
            if (_skip)
            {
                Issue(X12IssueSeverity.Error, segment, 1, $"transaction set '{segment.GetString(1)}' is not an 835 remittance; its content was not read");
            }
            else if (_version?.StartsWith("004010", StringComparison.Ordinal) == true)
            {
                Issue(X12IssueSeverity.Warning, segment, 3, "this is a 4010 remittance (004010X091A1), not 5010: it was read by the 5010 rules");
            }
            else if (_version is not null && _version != ImplementationGuide)
            {
                Issue(X12IssueSeverity.Warning, segment, 3, $"implementation guide '{_version}' is not {ImplementationGuide}; read as {ImplementationGuide}");
            }
        }

        private void Finish(in X12Segment segment)
        {
            if (!int.TryParse(segment[1], NumberStyles.None, CultureInfo.InvariantCulture, out var declared) || declared != _segments)
            {
                Issue(X12IssueSeverity.Warning, segment, 1, string.Create(CultureInfo.InvariantCulture,
                    $"SE01 says the transaction has '{segment.GetString(1)}' segments; it has {_segments}"));
            }

            Close();
        }

        private void Close()
        {
            CloseClaim();
            _inTransaction = false;
            if (_skip)
            {
                return;
            }

            var transaction = new RemittanceTransaction(_controlNumber, _version, _payer, _payee, _payment, _trace, _originator, _claims, _plb);
            if (_payment.Amount is { } amount && !transaction.Balances)
            {
                issues.Add(new X12Issue(X12IssueSeverity.Warning, _stPosition, "BPR", 2, string.Create(CultureInfo.InvariantCulture,
                    $"transaction {_controlNumber} does not balance: BPR02 {amount:0.00} vs claim payments {transaction.SumPaid:0.00} less provider adjustments {transaction.SumProviderAdjustments:0.00} = {transaction.ExpectedPaymentAmount:0.00}")));
            }

            transactions.Add(transaction);
        }

        private void OnParty(in X12Segment segment)
        {
            var party = new RemittanceParty(segment.GetString(2), segment.GetString(3), segment.GetString(4), null);
            if (segment[1].SequenceEqual("PR"))
            {
                _payer = party;
                _party = 'R';
            }
            else if (segment[1].SequenceEqual("PE"))
            {
                _payee = party;
                _party = 'E';
            }
            else
            {
                _party = '\0';
            }
        }

        private void OnReference(in X12Segment segment)
        {
            if (_claim is not null)
            {
                return;
            }

            if (_party == 'R' && segment[1].SequenceEqual("2U"))
            {
                _payer = _payer with { AdditionalId = segment.GetString(2) };
            }
            else if (_party == 'E' && segment[1].SequenceEqual("TJ"))
            {
                _payee = _payee with { AdditionalId = segment.GetString(2) };
            }
        }

        private void OnAdjustment(in X12Segment segment)
        {
            var target = _line?.Adjustments ?? _claim?.Adjustments;
            if (target is null)
            {
                Issue(X12IssueSeverity.Warning, segment, null, "CAS outside a claim; not read");
                return;
            }

            var group = segment.GetString(1);
            if (string.IsNullOrEmpty(group))
            {
                Issue(X12IssueSeverity.Warning, segment, 1, "CAS01 (group code) is empty; the adjustment was not read");
                return;
            }

            // Up to six reason / amount / quantity triplets: CAS02-04, 05-07, … 17-19.
            for (var position = 2; position + 1 <= segment.ElementCount; position += 3)
            {
                var reason = segment.GetString(position);
                if (string.IsNullOrEmpty(reason))
                {
                    continue;
                }

                if (Money(segment, position + 1) is not { } amount)
                {
                    Issue(X12IssueSeverity.Warning, segment, position + 1, $"CAS amount for reason {reason} is missing or not a number; not counted");
                    continue;
                }

                target.Add(new RemittanceAdjustment(group, reason, amount, position + 2 <= segment.ElementCount ? Money(segment, position + 2) : null));
            }
        }

        private void OnDate(in X12Segment segment)
        {
            var qualifier = segment[1];
            if (_line is not null)
            {
                if (qualifier.SequenceEqual("472"))
                {
                    _line.From ??= Date(segment, 2);
                    _line.To ??= _line.From;
                }
                else if (qualifier.SequenceEqual("150"))
                {
                    _line.From = Date(segment, 2);
                }
                else if (qualifier.SequenceEqual("151"))
                {
                    _line.To = Date(segment, 2);
                }

                return;
            }

            if (_claim is not null)
            {
                if (qualifier.SequenceEqual("232"))
                {
                    _claim.StatementFrom = Date(segment, 2);
                }
                else if (qualifier.SequenceEqual("233"))
                {
                    _claim.StatementTo = Date(segment, 2);
                }
            }
        }

        private void OnService(in X12Segment segment)
        {
            if (_claim is null)
            {
                Issue(X12IssueSeverity.Warning, segment, null, "SVC outside a claim; not read");
                return;
            }

            CloseLine();
            // Components count from 1: SVC01-1 qualifier (HC, NU, …), SVC01-2 code, SVC01-3 to -6 modifiers.
            var qualifier = NullIfEmpty(segment.GetComponent(1, 1));
            var code = NullIfEmpty(segment.GetComponent(1, 2));
            var modifiers = new List<string>();
            for (var component = 3; component <= 6; component++)
            {
                if (NullIfEmpty(segment.GetComponent(1, component)) is { } modifier)
                {
                    modifiers.Add(modifier);
                }
            }

            // SVC04: the revenue code beside a procedure (institutional); a line billed by revenue code alone is SVC01 NU:0905.
            var revenueCode = segment.GetString(4) is { Length: > 0 } stated ? stated : null;
            _line = new LineBuilder(qualifier, code, modifiers, revenueCode, Money(segment, 2), Money(segment, 3), segment.GetString(5), segment.GetString(7));
        }

        private void OnProviderAdjustment(in X12Segment segment)
        {
            var provider = segment.GetString(1);
            var period = Date(segment, 2);
            for (var position = 3; position + 1 <= segment.ElementCount; position += 2)
            {
                var reason = NullIfEmpty(segment.GetComponent(position, 1));
                if (reason is null)
                {
                    continue;
                }

                if (Money(segment, position + 1) is not { } amount)
                {
                    Issue(X12IssueSeverity.Warning, segment, position + 1, $"PLB amount for reason {reason} is missing or not a number; not counted");
                    continue;
                }

                _plb.Add(new ProviderAdjustment(provider, period, reason, NullIfEmpty(segment.GetComponent(position, 2)), amount));
            }
        }

        private void CloseLine()
        {
            if (_line is not null && _claim is not null)
            {
                _claim.Lines.Add(_line.Build());
            }

            _line = null;
        }

        private void CloseClaim()
        {
            CloseLine();
            if (_claim is not null)
            {
                _claims.Add(_claim.Build());
            }

            _claim = null;
        }

        private decimal? Money(in X12Segment segment, int position)
        {
            var text = segment[position].Trim(' ');
            if (text.IsEmpty)
            {
                return null;
            }

            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Issue(X12IssueSeverity.Warning, segment, position, $"'{Shorten(text)}' is not a number");
            return null;
        }

        private DateOnly? Date(in X12Segment segment, int position)
        {
            var text = segment[position].Trim(' ');
            if (text.IsEmpty)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return date;
            }

            // 4010 files may send CCYYMMDD as YYMMDD.
            if (text.Length == 6 && DateOnly.TryParseExact(text, "yyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                return date;
            }

            Issue(X12IssueSeverity.Warning, segment, position, $"date '{Shorten(text)}' is not a valid date");
            return null;
        }

        private void Issue(X12IssueSeverity severity, in X12Segment segment, int? element, string message) =>
            issues.Add(new X12Issue(severity, segment.Position, segment.Id.ToString(), element, message));

        private static string? NullIfEmpty(ReadOnlySpan<char> text) => text.Trim(' ').IsEmpty ? null : text.Trim(' ').ToString();

        private static string Shorten(ReadOnlySpan<char> text) => text.Length > 20 ? text[..20].ToString() + "…" : text.ToString();
    }

    private sealed class ClaimBuilder(
        string patientControlNumber, string? status, decimal? billed, decimal? paid, decimal? patientResponsibility,
        string? filing, string? payerClaimNumber, string? facility, string? frequency)
    {
        public string PatientControlNumber { get; } = patientControlNumber;
        public List<RemittanceAdjustment> Adjustments { get; } = [];
        public List<RemittanceServiceLine> Lines { get; } = [];
        public string? LastName { get; set; }
        public string? FirstName { get; set; }
        public string? MemberId { get; set; }
        public DateOnly? StatementFrom { get; set; }
        public DateOnly? StatementTo { get; set; }

        public RemittanceClaim Build() =>
            new(PatientControlNumber, status, billed, paid, patientResponsibility, filing, payerClaimNumber, facility, frequency, Adjustments, Lines)
            {
                PatientLastName = LastName,
                PatientFirstName = FirstName,
                MemberId = MemberId,
                StatementFrom = StatementFrom,
                StatementTo = StatementTo,
            };
    }

    private sealed class LineBuilder(
        string? qualifier, string? code, List<string> modifiers, string? revenueCode, decimal? billed, decimal? paid, string? unitsPaid, string? unitsOriginal)
    {
        public List<RemittanceAdjustment> Adjustments { get; } = [];
        public DateOnly? From { get; set; }
        public DateOnly? To { get; set; }
        public decimal? Allowed { get; set; }

        public RemittanceServiceLine Build() =>
            new(qualifier, code, modifiers, revenueCode, billed, paid, unitsPaid, unitsOriginal, From, To, Adjustments, Allowed);
    }
}
