using System.Text.Json.Serialization;
using CoverageCheck.Service.Features.Estimates;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// The body of <c>POST /api/v1/verifications</c> (http-api.md), read by <see cref="VerificationsJsonContext"/>; the
/// staff form builds it directly. Every member is optional on the wire: <see cref="VerificationRequestValidation"/>
/// says what is required, so that one 400 names every missing and every bad field. <c>patientRef</c> (#19, optional):
/// the patient control number the program bills with (CLP01 on the payer's remittance), at most 38 characters (CLP01's
/// limit); PHI, kept encrypted and found by keyed hash.
/// </summary>
internal sealed record VerificationRequest(
    PatientDto? Patient,
    InsuranceDto? Insurance,
    DateOnly? DateOfService,
    ConsentDto? Consent,
    VerificationProgramDto? Program,
    PricingDto? Pricing,
    SubscriberDto? Subscriber = null,
    Guid? CorrectsVerificationId = null,
    string? PatientRef = null);

/// <summary>
/// <c>patient</c>: protected health information. <c>relationshipToSubscriber</c> (http-api.md "Dependents"): <c>self</c>
/// (the default), <c>spouse</c>, <c>child</c> or <c>other</c>.
/// </summary>
internal sealed record PatientDto(string? FirstName, string? LastName, DateOnly? DateOfBirth, string? RelationshipToSubscriber = null)
{
    public override string ToString() => "PatientDto { *** }";
}

/// <summary>
/// <c>insurance</c>: the payer and the ID on the card. <c>memberIdBelongsTo</c> (<c>subscriber</c> or <c>patient</c>,
/// for a dependent only) says whose ID it is when staff know: a dependent with an ID of their own is asked about as
/// the subscriber. Unknown, a dependent is asked about under the subscriber's ID first.
/// </summary>
internal sealed record InsuranceDto(string? PayerId, string? MemberId, string? GroupNumber = null, string? MemberIdBelongsTo = null)
{
    public override string ToString() => $"InsuranceDto {{ PayerId = {PayerId} }}";
}

/// <summary><c>subscriber</c>: the plan holder, required when the patient is not the subscriber. Protected health information.</summary>
internal sealed record SubscriberDto(string? FirstName, string? LastName, DateOnly? DateOfBirth)
{
    public override string ToString() => "SubscriberDto { *** }";
}

/// <summary>
/// <c>consent</c> (42 CFR Part 2, http-api.md "Consent records"): <c>givenAt</c> defaults to now, <c>givenBy</c> to the
/// patient, <c>expiresAt</c> to 90 days after the program ends (a year without a program).
/// </summary>
internal sealed record ConsentDto(
    bool? Obtained,
    string? Method,
    DateTimeOffset? GivenAt = null,
    string? GivenBy = null,
    DateTimeOffset? ExpiresAt = null,
    string? TextVersion = null);

/// <summary><c>program</c>: the planned program, for an estimate with the verification. Numbers may come as text.</summary>
[JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
internal sealed record VerificationProgramDto(DateOnly? StartDate, int? Weeks, int? DaysPerWeek);
