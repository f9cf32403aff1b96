using System.Globalization;
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
    decimal? ChargePerDay) : CensusLine(Line)
{
    /// <summary>The last calendar day of the program: <c>weeks</c> whole weeks from its start.</summary>
    public DateOnly ProgramEnd => ProgramInfo.LastDay(ProgramStart, Weeks);

    /// <summary>The verification request this row stands for (see <see cref="VerificationPayload"/>).</summary>
    /// <param name="dateOfService">The date coverage is asked for (a census check asks about today).</param>
    /// <param name="consent">The consent on file for the census: a payer inquiry discloses that the person seeks addiction treatment.</param>
    public VerificationPayload ToVerificationPayload(DateOnly dateOfService, ConsentInfo consent) =>
        new(
            new PatientInfo(FirstName, LastName, DateOfBirth),
            new InsuranceInfo(PayerId, MemberId, GroupNumber),
            dateOfService,
            consent,
            new ProgramInfo(ProgramStart, Weeks, DaysPerWeek),
            ChargePerDay is { } charge ? new PricingInfo(charge) : null)
        {
            PatientRef = PatientRef,
        };

    /// <summary>Never print the person.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CensusRow {{ Line = {Line}, PatientRef = {PatientRef}, PayerId = {PayerId} }}");
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

    public static IReadOnlyList<string> All { get; } =
    [
        PatientRef, FirstName, LastName, DateOfBirth, PayerId, MemberId, GroupNumber, ProgramStart, DaysPerWeek, Weeks, ChargePerDay,
    ];

    /// <summary>The header line as documented.</summary>
    public static string HeaderLine { get; } = string.Join(',', All);
}
