using System.Text.Json.Serialization;
using CoverageCheck.Clients;
using CoverageCheck.Service.Features.CarveOuts;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// What a verification was asked: the request as stored (encrypted, it holds PHI) and replayed by the worker.
/// The same shape is the wire body of <c>POST /api/v1/verifications</c>; batches build it from census rows.
/// </summary>
internal sealed record VerificationPayload(
    PatientInfo Patient,
    InsuranceInfo Insurance,
    DateOnly DateOfService,
    ConsentInfo Consent,
    ProgramInfo? Program,
    PricingInfo? Pricing)
{
    /// <summary>The caller's own reference for the patient (a census row's <c>patient_ref</c>), if any.</summary>
    public string? PatientRef { get; init; }

    /// <summary>The plan holder when the patient is a dependent (http-api.md "Dependents"); null when the patient is the subscriber.</summary>
    public SubscriberInfo? Subscriber { get; init; }

    /// <summary>The verification this one corrects ("edit and verify again"), if any.</summary>
    public Guid? Corrects { get; init; }

    /// <summary>On a linked verification to a carve-out administrator: the verification it was made for (http-api.md "Carve-outs").</summary>
    public CarveOutParent? CarveOutOf { get; init; }

    /// <summary>True when the patient is someone other than the subscriber and the subscriber is known.</summary>
    [JsonIgnore]
    public bool IsDependent => Subscriber is not null && Relationships.IsDependent(Patient.RelationshipToSubscriber);

    /// <summary>Never print the person.</summary>
    public override string ToString() => $"VerificationPayload {{ PayerId = {Insurance.PayerId} }}";
}

internal sealed record PatientInfo(string FirstName, string LastName, DateOnly DateOfBirth)
{
    /// <summary><c>self</c>, <c>spouse</c>, <c>child</c> or <c>other</c> (<see cref="Relationships"/>); null (stored before dependents) is <c>self</c>.</summary>
    public string? RelationshipToSubscriber { get; init; }

    public override string ToString() => "PatientInfo { *** }";
}

internal sealed record InsuranceInfo(string PayerId, string MemberId, string? GroupNumber)
{
    /// <summary>
    /// For a dependent: whose ID <see cref="MemberId"/> is, <c>subscriber</c> or <c>patient</c> (the dependent's own);
    /// null when staff did not say (asked under the subscriber first).
    /// </summary>
    public string? MemberIdBelongsTo { get; init; }

    public override string ToString() => $"InsuranceInfo {{ PayerId = {PayerId} }}";
}

/// <summary>The subscriber (plan holder) of a dependent patient: protected health information like the patient's.</summary>
internal sealed record SubscriberInfo(string FirstName, string LastName, DateOnly DateOfBirth)
{
    public override string ToString() => "SubscriberInfo { *** }";
}

/// <summary>Whose ID the card's member ID is, for a dependent (<see cref="InsuranceInfo.MemberIdBelongsTo"/>).</summary>
internal static class MemberIdOwners
{
    public const string Subscriber = "subscriber";
    public const string Patient = "patient";

    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "subscriber" => Subscriber,
        "patient" or "dependent" => Patient,
        _ => null,
    };
}

/// <summary>
/// 42 CFR Part 2: asking a payer tells it the person seeks addiction treatment, so consent comes first. The terms as
/// given; <see cref="Id"/> is the stored consent record (Features/Consents) that every payer call is checked against.
/// </summary>
internal sealed record ConsentInfo(bool Obtained, string? Method)
{
    /// <summary>The consent record; null until intake records it (and on verifications stored before records existed).</summary>
    public Guid? Id { get; init; }

    /// <summary><c>patient</c> or <c>representative</c>.</summary>
    public string? GivenBy { get; init; }

    public DateTimeOffset? GivenAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The version of the consent text the person agreed to, where a form showed one.</summary>
    public string? TextVersion { get; init; }
}

/// <summary>The planned program, when the caller wants an estimate with the verification.</summary>
internal sealed record ProgramInfo(DateOnly StartDate, int Weeks, int DaysPerWeek)
{
    /// <summary>The program's last calendar day: <see cref="Weeks"/> whole weeks from its start, the start day counted.</summary>
    [JsonIgnore]
    public DateOnly End => LastDay(StartDate, Weeks);

    /// <summary>The one definition of a program's end, for every feature that needs it.</summary>
    public static DateOnly LastDay(DateOnly start, int weeks) => start.AddDays((weeks * 7) - 1);
}

/// <summary>Per-day prices for the estimate; what is missing comes from the payer table, then the rate card.</summary>
internal sealed record PricingInfo(decimal? ChargePerDay, decimal? AllowedPerDay = null, decimal? SelfPayPerDay = null, decimal? SelfPayPackagePrice = null);
