using System.Globalization;

namespace CoverageCheck.Clients.X12;

/// <summary>The 271 reader's envelope: ISA/GS/ST headers and SE/GE/IEA trailers, their counts and control numbers.</summary>
public static partial class X271Reader
{
    private partial struct ReadState
    {
        private void OnInterchangeHeader(in X12Segment segment)
        {
            if (_inInterchange && !_interchangeClosed)
            {
                Warning(segment, null, $"a new interchange starts before interchange {_interchangeControlNumber} was closed by an IEA");
            }

            if (_inTransaction)
            {
                Error(segment.Position, "ISA", null, $"transaction {_transactionControlNumber} (ST at segment {_transactionPosition}) has no SE before this ISA: it looks truncated");
                CloseTransaction();
            }

            _inInterchange = true;
            _interchangeClosed = false;
            _warnedAfterInterchange = false;
            _groupCount = 0;
            _inGroup = false;
            _interchangeControlNumber = segment.GetString(13)?.Trim();
            if (segment.ElementCount < 16)
            {
                Warning(segment, null, $"the ISA has {segment.ElementCount} elements instead of 16");
            }

            if (delimiters.RepetitionIsComponent)
            {
                Warning(segment, 16, $"ISA11 (repetition separator) and ISA16 (component separator) are both '{delimiters.Component}', which X12 does not allow; read as repetition in repeating elements (EB03) and as component in composites");
            }
        }

        private void OnGroupHeader(in X12Segment segment)
        {
            if (_inTransaction)
            {
                Error(segment.Position, "GS", null, $"transaction {_transactionControlNumber} (ST at segment {_transactionPosition}) has no SE before this GS: it looks truncated");
                CloseTransaction();
            }

            if (_inGroup)
            {
                Warning(segment, null, $"functional group {_groupControlNumber} (GS at segment {_groupPosition}) has no GE before the next GS");
            }

            if (!_inInterchange)
            {
                Warning(segment, null, "GS outside an ISA/IEA interchange");
            }

            _inGroup = true;
            _groupCount++;
            _groupControlNumber = segment.GetString(6);
            _groupPosition = segment.Position;
            _groupVersion4010 = segment[8].StartsWith("004010", StringComparison.Ordinal);
            _transactionsInGroup = 0;
            if (!segment[1].SequenceEqual("HB"))
            {
                Warning(segment, 1, $"functional identifier code '{Shorten(segment[1])}' is not HB (eligibility response)");
            }
        }

        private void OnTransactionHeader(in X12Segment segment)
        {
            if (_inTransaction)
            {
                Error(segment.Position, "ST", null, $"transaction {_transactionControlNumber} (ST at segment {_transactionPosition}) has no SE before the next ST: it looks truncated");
                CloseTransaction();
            }

            if (!_inGroup)
            {
                Warning(segment, null, "ST outside a GS/GE functional group");
            }

            _sawTransaction = true;
            _inTransaction = true;
            _transactionsInGroup++;
            _segmentsInTransaction = 1;
            _transactionControlNumber = segment.GetString(2);
            _transactionPosition = segment.Position;
            _referenceIdentification = null;
            _context = Context.Header;
            _hierarchicalIds.Clear();
            _payer = null;
            _provider = null;
            _subscriber = null;
            _member = null;
            _benefit = null;
            _relatedEntity = null;
            _responsesForPayer = 0;
            _skipTransaction = false;
            if (!segment[1].SequenceEqual("271"))
            {
                _skipTransaction = true;
                Error(segment.Position, "ST", 1, $"transaction set '{Shorten(segment[1])}' is not a 271 eligibility response; its content was not read");
                return;
            }

            var version = segment[3];
            if (!version.IsEmpty && !version.SequenceEqual(ImplementationGuide))
            {
                Warning(segment, 3, $"implementation guide '{Shorten(version)}' is not {ImplementationGuide}; read as {ImplementationGuide}");
            }

            if (version.StartsWith("004010", StringComparison.Ordinal) || (version.IsEmpty && _groupVersion4010))
            {
                Warning(segment, null, "this is a 4010 answer (004010X092), not 5010: it was read by the 5010 rules, and codes that 5010 changed may read differently");
            }
        }

        private void OnTransactionTrailer(in X12Segment segment)
        {
            if (!_inTransaction)
            {
                Warning(segment, null, "SE without a matching ST");
                return;
            }

            var declared = segment[1];
            if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count != _segmentsInTransaction)
            {
                Warning(segment, 1, string.Create(CultureInfo.InvariantCulture,
                    $"SE01 says the transaction has '{Shorten(declared)}' segments; it has {_segmentsInTransaction} (ST at segment {_transactionPosition} to SE)"));
            }

            if (!segment[2].SequenceEqual(_transactionControlNumber))
            {
                Warning(segment, 2, $"SE02 control number '{Shorten(segment[2])}' does not match ST02 '{_transactionControlNumber}' (segment {_transactionPosition})");
            }

            CloseTransaction();
        }

        private void OnGroupTrailer(in X12Segment segment)
        {
            if (_inTransaction)
            {
                Error(segment.Position, "GE", null, $"transaction {_transactionControlNumber} (ST at segment {_transactionPosition}) has no SE before this GE: it looks truncated");
                CloseTransaction();
            }

            if (!_inGroup)
            {
                Warning(segment, null, "GE without a matching GS");
                return;
            }

            var declared = segment[1];
            if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count != _transactionsInGroup)
            {
                Warning(segment, 1, string.Create(CultureInfo.InvariantCulture, $"GE01 says the group has '{Shorten(declared)}' transactions; it has {_transactionsInGroup}"));
            }

            if (!segment[2].SequenceEqual(_groupControlNumber))
            {
                Warning(segment, 2, $"GE02 control number '{Shorten(segment[2])}' does not match GS06 '{_groupControlNumber}' (segment {_groupPosition})");
            }

            _inGroup = false;
        }

        private void OnInterchangeTrailer(in X12Segment segment)
        {
            if (_inTransaction)
            {
                Error(segment.Position, "IEA", null, $"transaction {_transactionControlNumber} (ST at segment {_transactionPosition}) has no SE before this IEA: it looks truncated");
                CloseTransaction();
            }

            if (_inGroup)
            {
                Warning(segment, null, $"functional group {_groupControlNumber} (GS at segment {_groupPosition}) has no GE before the IEA");
                _inGroup = false;
            }

            var declared = segment[1];
            if (!int.TryParse(declared, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count != _groupCount)
            {
                Warning(segment, 1, string.Create(CultureInfo.InvariantCulture, $"IEA01 says the interchange has '{Shorten(declared)}' functional groups; it has {_groupCount}"));
            }

            if (!segment[2].Trim().SequenceEqual(_interchangeControlNumber))
            {
                Warning(segment, 2, $"IEA02 control number '{Shorten(segment[2])}' does not match ISA13 '{_interchangeControlNumber}'");
            }

            _interchangeClosed = true;
        }

        private void CloseTransaction()
        {
            CloseSubscriber();
            FlushPayerWithoutPatients();
            _inTransaction = false;
            _skipTransaction = false;
            _context = Context.Outside;
        }
    }
}
