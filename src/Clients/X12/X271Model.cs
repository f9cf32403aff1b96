using System.Globalization;

namespace CoverageCheck.Clients.X12;

/// <summary>
/// An NM1 name: a payer, provider, subscriber, dependent or related entity. For people it is protected health
/// information: <see cref="ToString"/> prints only the entity code.
/// </summary>
/// <param name="EntityIdentifierCode">NM101, e.g. <c>PR</c> payer, <c>1P</c> provider, <c>IL</c> subscriber, <c>03</c> dependent, <c>VN</c> vendor.</param>
/// <param name="EntityTypeQualifier">NM102: <c>1</c> person, <c>2</c> non-person entity.</param>
/// <param name="LastOrOrganizationName">NM103.</param>
/// <param name="FirstName">NM104.</param>
/// <param name="MiddleName">NM105.</param>
/// <param name="IdentificationCodeQualifier">NM108, e.g. <c>PI</c> payer ID, <c>XX</c> NPI, <c>MI</c> member ID.</param>
/// <param name="IdentificationCode">NM109.</param>
public sealed record X12Name(
    string EntityIdentifierCode,
    string? EntityTypeQualifier,
    string? LastOrOrganizationName,
    string? FirstName,
    string? MiddleName,
    string? IdentificationCodeQualifier,
    string? IdentificationCode)
{
    /// <summary>Organisation name, or "FIRST LAST" for a person.</summary>
    public string? DisplayName => FirstName is null ? LastOrOrganizationName : $"{FirstName} {LastOrOrganizationName}";

    /// <summary>Prints no names or IDs.</summary>
    public override string ToString() => $"X12Name {{ EntityIdentifierCode = {EntityIdentifierCode} }}";
}

/// <summary>A PER contact: communication numbers by qualifier (<c>TE</c> telephone, <c>WP</c> work phone, <c>UR</c> URL, <c>FX</c> fax, <c>EM</c> e-mail).</summary>
/// <param name="FunctionCode">PER01, e.g. <c>IC</c> information contact.</param>
/// <param name="Name">PER02.</param>
/// <param name="Numbers">PER03/04, PER05/06, PER07/08 pairs.</param>
public sealed record X12Contact(string? FunctionCode, string? Name, IReadOnlyList<X12CommunicationNumber> Numbers)
{
    /// <summary>The first telephone-like number (TE, WP, then any other phone qualifier), or null.</summary>
    public string? Phone =>
        Numbers.FirstOrDefault(n => n.Qualifier is "TE")?.Number
        ?? Numbers.FirstOrDefault(n => n.Qualifier is "WP" or "HP" or "CP" or "BN")?.Number;
}

/// <summary>One communication number of a PER segment.</summary>
/// <param name="Qualifier">E.g. <c>TE</c>, <c>UR</c>.</param>
/// <param name="Number">The number, URL or address.</param>
public sealed record X12CommunicationNumber(string Qualifier, string Number);

/// <summary>A REF reference.</summary>
/// <param name="Qualifier">REF01, e.g. <c>6P</c> group number, <c>18</c> plan number, <c>G1</c> prior authorisation number.</param>
/// <param name="Value">REF02.</param>
/// <param name="Description">REF03.</param>
public sealed record X12Reference(string Qualifier, string? Value, string? Description);

/// <summary>A DTP date or date range.</summary>
/// <param name="Qualifier">DTP01, e.g. <c>346</c> plan begin, <c>347</c> plan end, <c>356</c>/<c>357</c> eligibility begin/end, <c>291</c> plan.</param>
/// <param name="Format">DTP02: <c>D8</c> (CCYYMMDD) or <c>RD8</c> (CCYYMMDD-CCYYMMDD).</param>
/// <param name="Value">DTP03 as sent.</param>
/// <param name="Begin">The date, or the range's first date; null when unreadable.</param>
/// <param name="End">The range's last date (equal to <paramref name="Begin"/> for a single date); null when unreadable.</param>
public sealed record X12Date(string Qualifier, string? Format, string? Value, DateOnly? Begin, DateOnly? End)
{
    /// <summary>Reads <c>CCYYMMDD</c> or <c>CCYYMMDD-CCYYMMDD</c>; anything else yields null dates.</summary>
    internal static X12Date Create(string qualifier, string? format, string? value)
    {
        var (begin, end) = ParseDateOrRange(value);
        return new X12Date(qualifier, format, value, begin, end);
    }

    internal static (DateOnly? Begin, DateOnly? End) ParseDateOrRange(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        if (value.Length == 8 && TryParseCompact(value, out var single))
        {
            return (single, single);
        }

        if (value.Length == 17 && value[8] == '-' && TryParseCompact(value[..8], out var first) && TryParseCompact(value[9..], out var last))
        {
            return (first, last);
        }

        return (null, null);
    }

    /// <summary>CCYYMMDD by hand: the framework's format-driven parser costs more than the rest of a DTP segment.</summary>
    internal static bool TryParseCompact(ReadOnlySpan<char> value, out DateOnly date)
    {
        date = default;
        if (value.Length != 8)
        {
            return false;
        }

        var number = 0;
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            number = (number * 10) + (c - '0');
        }

        var year = number / 10000;
        var month = number / 100 % 100;
        var day = number % 100;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}

/// <summary>An AAA request validation (rejection) as sent in the 271.</summary>
/// <param name="Loop">Where it was found: <c>2000A</c>/<c>2100A</c> payer, <c>2100B</c> provider, <c>2100C</c>/<c>2100D</c> subscriber/dependent, <c>2110C</c>/<c>2110D</c> benefit.</param>
/// <param name="ValidRequest">AAA01: Y or N.</param>
/// <param name="RejectReasonCode">AAA03, e.g. <c>75</c>.</param>
/// <param name="FollowUpActionCode">AAA04, e.g. <c>C</c>.</param>
/// <param name="SegmentPosition">Where in the input the AAA is.</param>
public sealed record X12Rejection(string Loop, string? ValidRequest, string? RejectReasonCode, string? FollowUpActionCode, int SegmentPosition);

/// <summary>A 2120C/D related entity (LS/LE loop) of a benefit: an MBHO, a PCP, another payer.</summary>
public sealed class X271RelatedEntity
{
    internal X271RelatedEntity(X12Name name) => Name = name;

    /// <summary>NM1 of the entity.</summary>
    public X12Name Name { get; }

    /// <summary>PER contacts of the entity.</summary>
    public IReadOnlyList<X12Contact> Contacts => ContactList;

    /// <summary>N3 address lines, when sent.</summary>
    public string? AddressLine { get; internal set; }

    /// <summary>PRV provider code, when sent.</summary>
    public string? ProviderCode { get; internal set; }

    internal List<X12Contact> ContactList { get; } = [];
}

/// <summary>III (2115C/D): additional information, usually the place of service (<c>ZZ</c> qualifier with a POS code).</summary>
/// <param name="Qualifier">III01, e.g. <c>ZZ</c>.</param>
/// <param name="Code">III02, e.g. <c>22</c> outpatient hospital.</param>
public sealed record X271AdditionalInformation(string? Qualifier, string? Code);

/// <summary>One EB segment (loop 2110C/D) with what follows it: MSG, DTP, REF, III, AAA and the 2120 related entities.</summary>
public sealed class X271Benefit
{
    internal X271Benefit(int segmentPosition) => SegmentPosition = segmentPosition;

    /// <summary>Position of the EB segment in the input.</summary>
    public int SegmentPosition { get; }

    /// <summary>EB01 eligibility or benefit information code (<c>1</c> active, <c>6</c> inactive, <c>A</c> coinsurance, <c>B</c> copay, <c>C</c> deductible, <c>G</c> out of pocket, <c>F</c> limitations, <c>U</c>/<c>W</c> other entity …).</summary>
    public string? InformationCode { get; internal set; }

    /// <summary>EB02 coverage level: <c>IND</c>, <c>FAM</c>, …</summary>
    public string? CoverageLevelCode { get; internal set; }

    /// <summary>EB03 service type codes (repeating).</summary>
    public IReadOnlyList<string> ServiceTypeCodes { get; internal set; } = [];

    /// <summary>EB04 insurance type code.</summary>
    public string? InsuranceTypeCode { get; internal set; }

    /// <summary>EB05 plan coverage description.</summary>
    public string? PlanCoverageDescription { get; internal set; }

    /// <summary>EB06 time period qualifier (<c>23</c> calendar year, <c>29</c> remaining, <c>24</c> year to date, <c>27</c> visit, <c>7</c> day …).</summary>
    public string? TimePeriodQualifier { get; internal set; }

    /// <summary>EB07 monetary amount as sent.</summary>
    public string? MonetaryAmount { get; internal set; }

    /// <summary>EB08 percent as sent (a fraction: <c>.2</c> is 20%).</summary>
    public string? Percent { get; internal set; }

    /// <summary>EB09 quantity qualifier (<c>VS</c> visits, <c>DY</c> days …).</summary>
    public string? QuantityQualifier { get; internal set; }

    /// <summary>EB10 quantity as sent.</summary>
    public string? Quantity { get; internal set; }

    /// <summary>EB11 authorisation or certification indicator: <c>Y</c>, <c>N</c>, <c>U</c>.</summary>
    public string? AuthorizationOrCertificationIndicator { get; internal set; }

    /// <summary>EB12 in-plan network indicator: <c>Y</c>, <c>N</c>, <c>W</c> (both), <c>U</c>.</summary>
    public string? InPlanNetworkIndicator { get; internal set; }

    /// <summary>EB13 composite medical procedure identifier as sent.</summary>
    public string? ProcedureIdentifier { get; internal set; }

    /// <summary>MSG free-text lines.</summary>
    public IReadOnlyList<string> Messages => (IReadOnlyList<string>?)_messageList ?? [];

    /// <summary>DTP dates of the benefit.</summary>
    public IReadOnlyList<X12Date> Dates => (IReadOnlyList<X12Date>?)_dateList ?? [];

    /// <summary>REF references of the benefit.</summary>
    public IReadOnlyList<X12Reference> References => (IReadOnlyList<X12Reference>?)_referenceList ?? [];

    /// <summary>III additional information (places of service).</summary>
    public IReadOnlyList<X271AdditionalInformation> AdditionalInformation => (IReadOnlyList<X271AdditionalInformation>?)_additionalInformationList ?? [];

    /// <summary>AAA rejections inside the benefit loop.</summary>
    public IReadOnlyList<X12Rejection> Rejections => (IReadOnlyList<X12Rejection>?)_rejectionList ?? [];

    /// <summary>2120 related entities.</summary>
    public IReadOnlyList<X271RelatedEntity> RelatedEntities => (IReadOnlyList<X271RelatedEntity>?)_relatedEntityList ?? [];

    internal List<string> MessageList => _messageList ??= [];

    private List<string>? _messageList;

    internal List<X12Date> DateList => _dateList ??= [];

    private List<X12Date>? _dateList;

    internal List<X12Reference> ReferenceList => _referenceList ??= [];

    private List<X12Reference>? _referenceList;

    internal List<X271AdditionalInformation> AdditionalInformationList => _additionalInformationList ??= [];

    private List<X271AdditionalInformation>? _additionalInformationList;

    internal List<X12Rejection> RejectionList => _rejectionList ??= [];

    private List<X12Rejection>? _rejectionList;

    internal List<X271RelatedEntity> RelatedEntityList => _relatedEntityList ??= [];

    private List<X271RelatedEntity>? _relatedEntityList;

    /// <summary>Prints the codes only (amounts and codes carry no PHI).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"EB*{InformationCode}*{CoverageLevelCode}*{string.Join('^', ServiceTypeCodes)}*{InsuranceTypeCode}**{TimePeriodQualifier}*{MonetaryAmount}*{Percent}*{QuantityQualifier}*{Quantity}*{AuthorizationOrCertificationIndicator}*{InPlanNetworkIndicator} (segment {SegmentPosition})");
}

/// <summary>A 2000A information source (payer) or 2000B information receiver (provider).</summary>
public sealed class X271Party
{
    internal X271Party(string loop, string? hierarchicalId, int segmentPosition)
    {
        Loop = loop;
        HierarchicalId = hierarchicalId;
        SegmentPosition = segmentPosition;
    }

    /// <summary><c>2000A</c> or <c>2000B</c>.</summary>
    public string Loop { get; }

    /// <summary>HL01.</summary>
    public string? HierarchicalId { get; }

    /// <summary>Position of the HL segment in the input.</summary>
    public int SegmentPosition { get; }

    /// <summary>NM1 (2100A/B).</summary>
    public X12Name? Name { get; internal set; }

    /// <summary>PER contacts.</summary>
    public IReadOnlyList<X12Contact> Contacts => (IReadOnlyList<X12Contact>?)_contactList ?? [];

    /// <summary>AAA rejections at this level.</summary>
    public IReadOnlyList<X12Rejection> Rejections => (IReadOnlyList<X12Rejection>?)_rejectionList ?? [];

    // The lists are created on first use, as in X271Benefit: most parties have no rejection, and each empty list was
    // an allocation per file read.
    internal List<X12Contact> ContactList => _contactList ??= [];

    private List<X12Contact>? _contactList;

    internal List<X12Rejection> RejectionList => _rejectionList ??= [];

    private List<X12Rejection>? _rejectionList;
}

/// <summary>
/// A 2000C subscriber or 2000D dependent with its name, references, dates, rejections and benefits. Holds protected
/// health information: never log it.
/// </summary>
public sealed class X271Member
{
    internal X271Member(string loop, string? hierarchicalId, int segmentPosition)
    {
        Loop = loop;
        HierarchicalId = hierarchicalId;
        SegmentPosition = segmentPosition;
    }

    /// <summary><c>2000C</c> or <c>2000D</c>.</summary>
    public string Loop { get; }

    /// <summary>HL01.</summary>
    public string? HierarchicalId { get; }

    /// <summary>Position of the HL segment in the input.</summary>
    public int SegmentPosition { get; }

    /// <summary>NM1 (2100C/D). PHI.</summary>
    public X12Name? Name { get; internal set; }

    /// <summary>DMG02 date of birth as sent. PHI.</summary>
    public string? DateOfBirth { get; internal set; }

    /// <summary>INS02 relationship code, when sent (<c>18</c> self, <c>19</c> child, <c>01</c> spouse …).</summary>
    public string? RelationshipCode { get; internal set; }

    /// <summary>TRN trace numbers (TRN02).</summary>
    public IReadOnlyList<string> TraceNumbers => (IReadOnlyList<string>?)_traceNumberList ?? [];

    /// <summary>REF references (e.g. <c>6P</c> group number).</summary>
    public IReadOnlyList<X12Reference> References => (IReadOnlyList<X12Reference>?)_referenceList ?? [];

    /// <summary>DTP dates (plan and eligibility dates).</summary>
    public IReadOnlyList<X12Date> Dates => (IReadOnlyList<X12Date>?)_dateList ?? [];

    /// <summary>AAA rejections in 2100C/D.</summary>
    public IReadOnlyList<X12Rejection> Rejections => (IReadOnlyList<X12Rejection>?)_rejectionList ?? [];

    /// <summary>EB loops (2110C/D) in the order sent.</summary>
    public IReadOnlyList<X271Benefit> Benefits => (IReadOnlyList<X271Benefit>?)_benefitList ?? [];

    // Created on first use, as in X271Benefit: a subscriber who only carries dependents has none of them.
    internal List<string> TraceNumberList => _traceNumberList ??= [];

    private List<string>? _traceNumberList;

    internal List<X12Reference> ReferenceList => _referenceList ??= [];

    private List<X12Reference>? _referenceList;

    internal List<X12Date> DateList => _dateList ??= [];

    private List<X12Date>? _dateList;

    internal List<X12Rejection> RejectionList => _rejectionList ??= [];

    private List<X12Rejection>? _rejectionList;

    internal List<X271Benefit> BenefitList => _benefitList ??= [];

    private List<X271Benefit>? _benefitList;

    /// <summary>True once an EB or an AAA has been read into this member.</summary>
    internal bool HasBenefitsOrRejections => _benefitList is { Count: > 0 } || _rejectionList is { Count: > 0 };

    /// <summary>Prints no PHI.</summary>
    public override string ToString() => $"X271Member {{ Loop = {Loop}, Benefits = {Benefits.Count} }}";
}

/// <summary>
/// One patient's answer: the payer and provider it came through, the subscriber, and the dependent when the patient
/// is a dependent. An interchange holds one of these per subscriber without dependents and per dependent.
/// </summary>
/// <param name="TransactionControlNumber">ST02 of the transaction it came in.</param>
/// <param name="ReferenceIdentification">BHT03 (echoes the inquiry's reference).</param>
/// <param name="Payer">2000A, when present.</param>
/// <param name="Provider">2000B, when present.</param>
/// <param name="Subscriber">2000C; null when the payer or provider rejected the inquiry before any subscriber loop (AAA at 2000A/2100B).</param>
/// <param name="Dependent">2000D, when the patient is a dependent.</param>
public sealed record X271Response(
    string? TransactionControlNumber,
    string? ReferenceIdentification,
    X271Party? Payer,
    X271Party? Provider,
    X271Member? Subscriber,
    X271Member? Dependent)
{
    /// <summary>The person the benefits are about: the dependent when there is one, else the subscriber; null for a payer- or provider-level rejection.</summary>
    public X271Member? Patient => Dependent ?? Subscriber;
}

/// <summary>
/// What reading a 271 interchange produced: every patient answer found, in order, with errors (unreadable structure)
/// and warnings (envelope faults such as a wrong SE01 count, content still read), each naming segment and position.
/// </summary>
/// <param name="Delimiters">The delimiters read from the ISA; null when the ISA was unreadable.</param>
/// <param name="InterchangeControlNumber">ISA13.</param>
/// <param name="Responses">One per patient (see <see cref="X271Response"/>), in input order.</param>
/// <param name="Errors">Unreadable structure. When there are any, the responses must not be trusted on their own.</param>
/// <param name="Warnings">Faults that did not stop the reading.</param>
/// <param name="SegmentCount">Segments read.</param>
public sealed record X271ReadResult(
    X12Delimiters? Delimiters,
    string? InterchangeControlNumber,
    IReadOnlyList<X271Response> Responses,
    IReadOnlyList<X12Issue> Errors,
    IReadOnlyList<X12Issue> Warnings,
    int SegmentCount)
{
    /// <summary>True when no errors were found.</summary>
    public bool IsReadable => Errors.Count == 0;
}
