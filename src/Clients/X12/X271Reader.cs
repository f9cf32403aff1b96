namespace CoverageCheck.Clients.X12;

/// <summary>
/// Reads X12 005010X279A1 271 eligibility responses: the envelope (ISA/GS/ST … SE/GE/IEA, several groups and
/// transactions per interchange), the hierarchical loops (2000A payer, 2000B provider, 2000C subscriber, 2000D
/// dependent), the 2110C/D EB loops with their MSG/DTP/REF/III (2115) and AAA, and the 2120C/D related entities
/// (LS … NM1/N3/PER/PRV … LE).
/// </summary>
/// <remarks>
/// Never throws for malformed or truncated input. Envelope faults (SE01 count, SE02 ≠ ST02, GE/IEA counts and
/// control numbers, a missing trailer after a complete transaction) are warnings: the content is still read. Only
/// structure that cannot be read is an error: no ISA, unusable delimiters, a transaction that is not a 271, a
/// transaction cut off before its SE, a segment ID that is not one, an EB without EB01, an EB outside a subscriber or
/// dependent loop. Every issue names the segment position (ISA = 1) and, where it applies, the element.
/// </remarks>
public static partial class X271Reader
{
    /// <summary>The implementation guide this reader follows.</summary>
    public const string ImplementationGuide = "005010X279A1";

    /// <summary>Reads a 271 interchange.</summary>
    public static X271ReadResult Read(string? text) => Read((text ?? string.Empty).AsSpan());

    /// <summary>Reads a 271 interchange.</summary>
    public static X271ReadResult Read(ReadOnlySpan<char> text)
    {
        var reader = new X12SegmentReader(text, stackalloc int[64]);
        if (reader.Fault is not null)
        {
            return new X271ReadResult(null, null, [], [reader.Fault], [], 0);
        }

        var state = new ReadState(reader.Delimiters);
        while (reader.Read(out var segment))
        {
            state.Accept(segment);
        }

        state.Finish(reader.LastSegmentUnterminated);
        return state.ToResult(reader.Delimiters, reader.SegmentCount);
    }

    private enum Context
    {
        Outside,
        Header,
        Payer,
        Provider,
        Member,
        Benefit,
        RelatedEntity,
        Ignored,
    }

    /// <summary>
    /// The mutable state of one read: envelope counters, the current loops, the issues found. A struct on the
    /// reading method's stack, not an object per interchange read; it is never copied.
    /// </summary>
    private partial struct ReadState(X12Delimiters delimiters)
    {
        // Issues are rare in a good file: the lists are created on first use.
        private List<X12Issue>? _errors;
        private List<X12Issue>? _warnings;
        private readonly List<X271Response> _responses = [];
        private readonly HashSet<string> _hierarchicalIds = new(StringComparer.Ordinal);

        private string? _interchangeControlNumber;
        private bool _inInterchange;
        private bool _interchangeClosed;
        private bool _warnedAfterInterchange;
        private int _groupCount;

        private bool _inGroup;
        private string? _groupControlNumber;
        private bool _groupVersion4010;
        private int _transactionsInGroup;
        private int _groupPosition;

        private bool _inTransaction;
        private bool _skipTransaction;
        private bool _sawTransaction;
        private string? _transactionControlNumber;
        private int _transactionPosition;
        private int _segmentsInTransaction;
        private string? _referenceIdentification;

        private Context _context = Context.Outside;
        private X271Party? _payer;
        private X271Party? _provider;
        private X271Member? _subscriber;
        private X271Member? _member;
        private X271Benefit? _benefit;
        private X271RelatedEntity? _relatedEntity;
        private int _subscriberResponseIndex;
        private int _dependentsOfSubscriber;
        private int _responsesForPayer;
        private int _lastPosition;
        private int _lastSegmentKey;

        private string? LastSegmentId => _lastSegmentKey == 0 ? null : KeyToId(_lastSegmentKey);

        public void Accept(in X12Segment segment)
        {
            _lastPosition = segment.Position;
            if (!segment.HasValidId)
            {
                _lastSegmentKey = 0;
                Error(segment.Position, null, null, $"'{Shorten(segment.Id)}' is not a segment ID (two or three upper-case letters or digits): the segment cannot be read");
                if (_inTransaction)
                {
                    _segmentsInTransaction++;
                }

                return;
            }

            var key = segment.IdKey;
            _lastSegmentKey = key;
            if (_inTransaction)
            {
                _segmentsInTransaction++;
            }

            switch (key)
            {
                case X12SegmentIds.ISA:
                    OnInterchangeHeader(segment);
                    return;
                case X12SegmentIds.GS:
                    OnGroupHeader(segment);
                    return;
                case X12SegmentIds.ST:
                    OnTransactionHeader(segment);
                    return;
                case X12SegmentIds.SE:
                    OnTransactionTrailer(segment);
                    return;
                case X12SegmentIds.GE:
                    OnGroupTrailer(segment);
                    return;
                case X12SegmentIds.IEA:
                    OnInterchangeTrailer(segment);
                    return;
            }

            if (_interchangeClosed && !_warnedAfterInterchange)
            {
                _warnedAfterInterchange = true;
                Warning(segment, null, "segments after the IEA are not part of the interchange and were ignored");
                return;
            }

            if (!_inTransaction)
            {
                Warning(segment, null, "segment outside an ST/SE transaction was ignored");
                return;
            }

            if (_skipTransaction)
            {
                return;
            }

            OnTransactionSegment(segment);
        }

        public void Finish(bool lastSegmentUnterminated)
        {
            if (_inTransaction)
            {
                Error(_lastPosition, LastSegmentId, null,
                    $"the input ends inside transaction {_transactionControlNumber} (ST at segment {_transactionPosition}) before its SE: the file looks truncated and its benefits may be incomplete");
                CloseTransaction();
            }
            else if (lastSegmentUnterminated)
            {
                Warning(_lastPosition, LastSegmentId, null, "the last segment has no segment terminator");
            }

            if (_inGroup)
            {
                Warning(_lastPosition, LastSegmentId, null, $"functional group {_groupControlNumber} (GS at segment {_groupPosition}) has no GE trailer");
            }

            if (_inInterchange && !_interchangeClosed)
            {
                Warning(_lastPosition, LastSegmentId, null, $"interchange {_interchangeControlNumber} has no IEA trailer");
            }

            if (!_sawTransaction && _errors is null)
            {
                Error(_lastPosition, LastSegmentId, null, "the interchange holds no 271 transaction (no ST segment)");
            }
        }

        public X271ReadResult ToResult(X12Delimiters delimitersRead, int segmentCount) =>
            new(delimitersRead, _interchangeControlNumber, _responses.ToArray(), _errors?.ToArray() ?? [], _warnings?.ToArray() ?? [], segmentCount);

        private void OnTransactionSegment(in X12Segment segment)
        {
            switch (segment.IdKey)
            {
                case X12SegmentIds.BHT:
                    _referenceIdentification = segment.GetString(3);
                    return;
                case X12SegmentIds.HL:
                    OnHierarchicalLevel(segment);
                    return;
                case X12SegmentIds.NM1:
                    OnName(segment);
                    return;
                case X12SegmentIds.PER:
                    OnContact(segment);
                    return;
                case X12SegmentIds.AAA:
                    OnRejection(segment);
                    return;
                case X12SegmentIds.EB:
                    OnBenefit(segment);
                    return;
                case X12SegmentIds.LS:
                    if (_context == Context.Benefit && _benefit is not null)
                    {
                        _context = Context.RelatedEntity;
                        _relatedEntity = null;
                    }
                    else
                    {
                        Warning(segment, null, "LS outside an EB loop was ignored");
                    }

                    return;
                case X12SegmentIds.LE:
                    if (_context == Context.RelatedEntity)
                    {
                        _context = Context.Benefit;
                        _relatedEntity = null;
                    }
                    else
                    {
                        Warning(segment, null, "LE without a matching LS was ignored");
                    }

                    return;
            }

            switch (_context)
            {
                case Context.Member:
                    OnMemberSegment(segment);
                    return;
                case Context.Benefit:
                    OnBenefitSegment(segment);
                    return;
                case Context.RelatedEntity:
                    OnRelatedEntitySegment(segment);
                    return;
                case Context.Ignored:
                    return;
                default:
                    if (segment.IdKey is not (X12SegmentIds.PRV or X12SegmentIds.REF or X12SegmentIds.N3 or X12SegmentIds.N4))
                    {
                        Warning(segment, null, "segment not expected here was ignored");
                    }

                    return;
            }
        }

        private void OnHierarchicalLevel(in X12Segment segment)
        {
            _benefit = null;
            _relatedEntity = null;
            var id = segment.GetString(1);
            var parent = segment.GetString(2);
            var level = segment[3];
            if (id is null)
            {
                Warning(segment, 1, "HL01 (hierarchical ID) is missing");
            }
            else if (!_hierarchicalIds.Add(id))
            {
                Warning(segment, 1, $"HL01 '{id}' repeats an earlier HL");
            }

            if (parent is not null && !_hierarchicalIds.Contains(parent))
            {
                Warning(segment, 2, $"HL02 parent '{parent}' is not an earlier HL");
            }

            switch (level)
            {
                case "20":
                    CloseSubscriber();
                    FlushPayerWithoutPatients();
                    _payer = new X271Party("2000A", id, segment.Position);
                    _provider = null;
                    _responsesForPayer = 0;
                    _context = Context.Payer;
                    return;
                case "21":
                    CloseSubscriber();
                    if (_payer is null)
                    {
                        Warning(segment, 3, "information receiver (HL03 21) without an information source (HL03 20) before it");
                    }

                    _provider = new X271Party("2000B", id, segment.Position);
                    _context = Context.Provider;
                    return;
                case "22":
                    CloseSubscriber();
                    if (_provider is null && _payer is null)
                    {
                        Warning(segment, 3, "subscriber (HL03 22) without an information source or receiver before it");
                    }

                    _subscriber = new X271Member("2000C", id, segment.Position);
                    _member = _subscriber;
                    _subscriberResponseIndex = _responses.Count;
                    _dependentsOfSubscriber = 0;
                    _context = Context.Member;
                    return;
                case "23":
                    if (_subscriber is null)
                    {
                        Error(segment.Position, "HL", 3, "dependent (HL03 23) without a subscriber (HL03 22) before it: the dependent loop cannot be read");
                        _member = null;
                        _context = Context.Ignored;
                        return;
                    }

                    var dependent = new X271Member("2000D", id, segment.Position);
                    _member = dependent;
                    _dependentsOfSubscriber++;
                    _responsesForPayer++;
                    _responses.Add(new X271Response(_transactionControlNumber, _referenceIdentification, _payer, _provider, _subscriber, dependent));
                    _context = Context.Member;
                    return;
                default:
                    Error(segment.Position, "HL", 3, $"hierarchical level code '{Shorten(level)}' is not one of 20, 21, 22, 23: the loop cannot be read");
                    _member = null;
                    _context = Context.Ignored;
                    return;
            }
        }

        /// <summary>A subscriber is an answer of its own unless it only carries dependents.</summary>
        private void CloseSubscriber()
        {
            if (_subscriber is null)
            {
                return;
            }

            if (_dependentsOfSubscriber == 0 || _subscriber.HasBenefitsOrRejections)
            {
                _responses.Insert(_subscriberResponseIndex, new X271Response(_transactionControlNumber, _referenceIdentification, _payer, _provider, _subscriber, null));
                _responsesForPayer++;
            }

            _subscriber = null;
            _member = null;
        }

        /// <summary>A payer or provider rejection (AAA at 2000A/2100B) comes without any subscriber loop: keep it as an answer.</summary>
        private void FlushPayerWithoutPatients()
        {
            if ((_payer is not null || _provider is not null) && _responsesForPayer == 0)
            {
                _responses.Add(new X271Response(_transactionControlNumber, _referenceIdentification, _payer, _provider, null, null));
                _responsesForPayer++;
            }
        }

        private void OnName(in X12Segment segment)
        {
            var name = ReadName(segment);
            switch (_context)
            {
                case Context.Payer when _payer is not null:
                    // A payer ID (PI) is what the payer table is keyed by; a tax ID (FI) only when nothing better came.
                    if (_payer.Name is null || (name.EntityIdentifierCode == "PR" && name.IdentificationCodeQualifier == "PI" && _payer.Name.IdentificationCodeQualifier != "PI"))
                    {
                        _payer.Name = name;
                    }

                    return;
                case Context.Provider when _provider is not null:
                    _provider.Name ??= name;
                    return;
                case Context.Member when _member is not null:
                    _member.Name ??= name;
                    return;
                case Context.RelatedEntity when _benefit is not null:
                    _relatedEntity = new X271RelatedEntity(name);
                    _benefit.RelatedEntityList.Add(_relatedEntity);
                    return;
                case Context.Benefit when _benefit is not null:
                    Warning(segment, null, "NM1 after an EB without LS; read as a related entity (2120)");
                    _relatedEntity = new X271RelatedEntity(name);
                    _benefit.RelatedEntityList.Add(_relatedEntity);
                    return;
                case Context.Ignored:
                    return;
                default:
                    Warning(segment, null, "NM1 outside a hierarchical level was ignored");
                    return;
            }
        }

        private void OnContact(in X12Segment segment)
        {
            var contact = ReadContact(segment);
            switch (_context)
            {
                case Context.Payer when _payer is not null:
                    _payer.ContactList.Add(contact);
                    return;
                case Context.Provider when _provider is not null:
                    _provider.ContactList.Add(contact);
                    return;
                case Context.RelatedEntity when _relatedEntity is not null:
                    _relatedEntity.ContactList.Add(contact);
                    return;
                case Context.Ignored:
                    return;
                default:
                    Warning(segment, null, "PER not expected here was ignored");
                    return;
            }
        }

        private void OnRejection(in X12Segment segment)
        {
            switch (_context)
            {
                case Context.Payer when _payer is not null:
                    _payer.RejectionList.Add(ReadRejection(segment, _payer.Name is null ? "2000A" : "2100A"));
                    return;
                case Context.Provider when _provider is not null:
                    _provider.RejectionList.Add(ReadRejection(segment, _provider.Name is null ? "2000B" : "2100B"));
                    return;
                case Context.Member when _member is not null:
                    _member.RejectionList.Add(ReadRejection(segment, _member.Loop == "2000D" ? "2100D" : "2100C"));
                    return;
                case Context.Benefit or Context.RelatedEntity when _benefit is not null && _member is not null:
                    _benefit.RejectionList.Add(ReadRejection(segment, _member.Loop == "2000D" ? "2110D" : "2110C"));
                    return;
                case Context.Ignored:
                    return;
                default:
                    Warning(segment, null, "AAA outside a loop that can carry it was ignored");
                    return;
            }
        }

        private void OnBenefit(in X12Segment segment)
        {
            if (_member is null || _context is not (Context.Member or Context.Benefit or Context.RelatedEntity))
            {
                if (_context != Context.Ignored)
                {
                    Error(segment.Position, "EB", null, "EB outside a subscriber (2000C) or dependent (2000D) loop: the benefit cannot be attributed to anyone");
                }

                return;
            }

            if (_context == Context.RelatedEntity)
            {
                Warning(segment, null, "EB inside an LS/LE related-entity loop; the LE is missing");
            }

            var benefit = new X271Benefit(segment.Position)
            {
                InformationCode = segment.GetString(1),
                CoverageLevelCode = segment.GetString(2),
                ServiceTypeCodes = ReadRepeats(segment[3]),
                InsuranceTypeCode = segment.GetString(4),
                PlanCoverageDescription = segment.GetString(5),
                TimePeriodQualifier = segment.GetString(6),
                MonetaryAmount = segment.GetString(7),
                Percent = segment.GetString(8),
                QuantityQualifier = segment.GetString(9),
                Quantity = segment.GetString(10),
                AuthorizationOrCertificationIndicator = segment.GetString(11),
                InPlanNetworkIndicator = segment.GetString(12),
                ProcedureIdentifier = segment.GetString(13),
            };

            if (benefit.InformationCode is null)
            {
                Error(segment.Position, "EB", 1, "EB01 (eligibility or benefit information code) is missing: the row cannot be read");
            }

            CheckNumber(segment, 7, "EB07 monetary amount");
            CheckNumber(segment, 8, "EB08 percent");
            CheckNumber(segment, 10, "EB10 quantity");
            _member.BenefitList.Add(benefit);
            _benefit = benefit;
            _relatedEntity = null;
            _context = Context.Benefit;
        }

        private void OnMemberSegment(in X12Segment segment)
        {
            var member = _member!;
            switch (segment.IdKey)
            {
                case X12SegmentIds.TRN:
                    if (segment.GetString(2) is { } trace)
                    {
                        member.TraceNumberList.Add(trace);
                    }

                    return;
                case X12SegmentIds.REF:
                    member.ReferenceList.Add(ReadReference(segment));
                    return;
                case X12SegmentIds.DTP:
                    member.DateList.Add(ReadDate(segment));
                    return;
                case X12SegmentIds.DMG:
                    member.DateOfBirth = segment.GetString(2);
                    return;
                case X12SegmentIds.INS:
                    member.RelationshipCode = segment.GetString(2);
                    return;
                case X12SegmentIds.N3 or X12SegmentIds.N4 or X12SegmentIds.PRV or X12SegmentIds.HI or X12SegmentIds.MPI:
                    return;
                default:
                    Warning(segment, null, "segment not expected in a subscriber or dependent loop was ignored");
                    return;
            }
        }

        private void OnBenefitSegment(in X12Segment segment)
        {
            var benefit = _benefit!;
            switch (segment.IdKey)
            {
                case X12SegmentIds.MSG:
                    if (segment.GetString(1) is { } message)
                    {
                        benefit.MessageList.Add(message);
                    }

                    return;
                case X12SegmentIds.DTP:
                    benefit.DateList.Add(ReadDate(segment));
                    return;
                case X12SegmentIds.REF:
                    benefit.ReferenceList.Add(ReadReference(segment));
                    return;
                case X12SegmentIds.III:
                    benefit.AdditionalInformationList.Add(new X271AdditionalInformation(segment.GetString(1), segment.GetString(2)));
                    return;
                case X12SegmentIds.HSD:
                    return;
                default:
                    Warning(segment, null, "segment not expected in an EB loop was ignored");
                    return;
            }
        }

        private void OnRelatedEntitySegment(in X12Segment segment)
        {
            switch (segment.IdKey)
            {
                case X12SegmentIds.N3 when _relatedEntity is not null:
                    _relatedEntity.AddressLine = segment.GetString(2) is { } second ? $"{segment.GetString(1)} {second}" : segment.GetString(1);
                    return;
                case X12SegmentIds.PRV when _relatedEntity is not null:
                    _relatedEntity.ProviderCode = segment.GetString(1);
                    return;
                case X12SegmentIds.N4:
                    return;
                default:
                    Warning(segment, null, "segment not expected in an LS/LE related-entity loop was ignored");
                    return;
            }
        }

    }
}
