using CoverageCheck.Clients;
using System.Globalization;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>What one record of a census came to: a <see cref="CensusRow"/> or a <see cref="CensusRowError"/>.</summary>
/// <param name="Line">The 1-based physical line of the file where the record starts (the header is line 1).</param>
internal abstract record CensusLine(int Line);

/// <summary>A valid census row, typed. It holds PHI (names, date of birth, member ID): never log it.</summary>
internal sealed record CensusRow(
    int Line,
    string PatientRef,
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string PayerId,
    string MemberId,
    string? GroupNumber,
    DateOnly ProgramStart,
    int DaysPerWeek,
    int Weeks,
    decimal? ChargePerDay,
    CensusConsent Consent) : CensusLine(Line)
{
    /// <summary><c>self</c> (the default), <c>spouse</c>, <c>child</c> or <c>other</c> (census column <c>relationship</c>).</summary>
    public string Relationship { get; init; } = Relationships.Self;

    /// <summary>The plan holder, for a dependent (columns <c>subscriber_first_name</c>, <c>_last_name</c>, <c>_date_of_birth</c>). PHI.</summary>
    public SubscriberInfo? Subscriber { get; init; }

    /// <summary>The last calendar day of the program: <c>weeks</c> whole weeks from its start.</summary>
    public DateOnly ProgramEnd => ProgramInfo.LastDay(ProgramStart, Weeks);

    /// <summary>The verification request this row stands for (see <see cref="VerificationPayload"/>).</summary>
    /// <param name="dateOfService">The date coverage is asked for (a census check asks about today).</param>
    public VerificationPayload ToVerificationPayload(DateOnly dateOfService) =>
        new(
            new PatientInfo(FirstName, LastName, DateOfBirth) { RelationshipToSubscriber = Relationship },
            new InsuranceInfo(PayerId, MemberId, GroupNumber),
            dateOfService,
            Consent.ToConsentInfo(ProgramEnd),
            new ProgramInfo(ProgramStart, Weeks, DaysPerWeek),
            ChargePerDay is { } charge ? new PricingInfo(charge) : null)
        {
            PatientRef = PatientRef,
            Subscriber = Relationships.IsDependent(Relationship) ? Subscriber : null,
        };

    /// <summary>Never print the person.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CensusRow {{ Line = {Line}, PatientRef = {PatientRef}, PayerId = {PayerId} }}");
}

/// <summary>
/// The consent on file for one census row (42 CFR Part 2): how and when it was given, and until when. Dates, as the
/// census gives them: given at the start of its day, expiring at the end of its day (UTC), by default 90 days after
/// the program ends.
/// </summary>
internal sealed record CensusConsent(string Method, DateOnly Date, DateOnly? Expires, string GivenBy)
{
    public ConsentInfo ToConsentInfo(DateOnly programEnd) => new(true, Method)
    {
        GivenBy = GivenBy,
        GivenAt = new DateTimeOffset(Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        ExpiresAt = new DateTimeOffset((Expires ?? programEnd.AddDays(ConsentTerms.AfterProgram.Days)).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
    };
}

/// <summary>
/// A census record that cannot be used, and why. <see cref="IsFileLevel"/> errors (bad header, unreadable file)
/// end the reading; every other error concerns its own record only and the reading goes on.
/// Reasons never repeat names, dates of birth or member IDs.
/// </summary>
internal sealed record CensusRowError(int Line, string? PatientRef, string Code, string Reason) : CensusLine(Line)
{
    public bool IsFileLevel { get; init; }
}

/// <summary>The machine-readable <see cref="CensusRowError.Code"/> values.</summary>
internal static class CensusErrorCodes
{
    public const string EmptyFile = "empty-file";
    public const string InvalidHeader = "invalid-header";
    public const string NotUtf8 = "not-utf8";
    public const string Unreadable = "unreadable";
    public const string ColumnCount = "column-count";
    public const string MalformedCsv = "malformed-csv";
    public const string MissingValue = "missing-value";
    public const string InvalidValue = "invalid-value";
    public const string InvalidDate = "invalid-date";
    public const string DateOfBirthInFuture = "date-of-birth-in-future";
    public const string UnknownPayer = "unknown-payer";
    public const string DuplicatePatientRef = "duplicate-patient-ref";

    /// <summary>No consent on the row (consent_method or consent_date empty): it is not sent to the payer.</summary>
    public const string ConsentMissing = ConsentErrorCodes.Missing;

    /// <summary>The row's consent expired before today.</summary>
    public const string ConsentExpired = "consent-expired";
}

/// <summary>The census header of <c>http-api.md</c>, in its documented order.</summary>
internal static class CensusColumns
{
    public const string PatientRef = "patient_ref";
    public const string FirstName = "first_name";
    public const string LastName = "last_name";
    public const string DateOfBirth = "date_of_birth";
    public const string PayerId = "payer_id";
    public const string MemberId = "member_id";
    public const string GroupNumber = "group_number";
    public const string ProgramStart = "program_start";
    public const string DaysPerWeek = "days_per_week";
    public const string Weeks = "weeks";
    public const string ChargePerDay = "charge_per_day";
    public const string ConsentMethod = "consent_method";
    public const string ConsentDate = "consent_date";
    public const string ConsentExpires = "consent_expires";
    public const string ConsentGivenBy = "consent_given_by";
    public const string Relationship = "relationship";
    public const string SubscriberFirstName = "subscriber_first_name";
    public const string SubscriberLastName = "subscriber_last_name";
    public const string SubscriberDateOfBirth = "subscriber_date_of_birth";

    /// <summary>Columns every census must have in its header.</summary>
    public static IReadOnlyList<string> Required { get; } =
    [
        PatientRef, FirstName, LastName, DateOfBirth, PayerId, MemberId, GroupNumber, ProgramStart, DaysPerWeek, Weeks, ChargePerDay,
    ];

    /// <summary>The consent columns (42 CFR Part 2), in their documented order.</summary>
    public static IReadOnlyList<string> Consent { get; } = [ConsentMethod, ConsentDate, ConsentExpires, ConsentGivenBy];

    /// <summary>The dependent's columns (issue #16): whom the row is about on the plan, and the subscriber.</summary>
    public static IReadOnlyList<string> Dependent { get; } = [Relationship, SubscriberFirstName, SubscriberLastName, SubscriberDateOfBirth];

    /// <summary>
    /// Columns a header may leave out. Without the consent columns the file is still read, but every row is then
    /// rejected as <c>consent-missing</c>: consent_method and consent_date are required on each row.
    /// </summary>
    public static IReadOnlyList<string> Optional { get; } = [.. Consent, .. Dependent];

    /// <summary>Every column the reader knows, in the documented order.</summary>
    public static IReadOnlyList<string> All { get; } = [.. Required, .. Optional];

    /// <summary>The header line as documented.</summary>
    public static string HeaderLine { get; } = string.Join(',', All);
}
