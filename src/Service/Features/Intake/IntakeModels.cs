using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Features.Intake;

/// <summary><c>GET /api/v1/intake/consent</c>: the consent the form shows, and the one-time form token.</summary>
internal sealed record IntakeConsentResponse(string Version, string Text, IntakeConsentElements Elements, string FormToken, IntakeChallenge? Challenge);

/// <summary>The elements of a 42 CFR 2.31 written consent, each as the visitor reads it.</summary>
internal sealed record IntakeConsentElements(
    string Discloser,
    string Recipient,
    string Information,
    string Purpose,
    string Expiry,
    string Revocation,
    string Signature);

/// <summary>The proof-of-work: a decimal n such that hex SHA-256(prefix + n) starts with <see cref="Difficulty"/> zeros.</summary>
internal sealed record IntakeChallenge(string Prefix, int Difficulty);

/// <summary><c>POST /api/v1/intake</c>: the visitor's request, exactly as http-api.md "Website intake". All of it is PHI.</summary>
internal sealed record IntakeRequest
{
    public IntakePatient? Patient { get; init; }
    public IntakeInsurance? Insurance { get; init; }
    public IntakePerson? Subscriber { get; init; }
    public IntakeContact? Contact { get; init; }
    public IntakeConsent? Consent { get; init; }
    public IntakeForm? Form { get; init; }

    /// <summary>The honeypot: people leave it empty (the form hides it); anything in it is a robot.</summary>
    public string? Website { get; init; }

    public override string ToString() => "IntakeRequest { *** }";
}

internal sealed record IntakePatient(string? FirstName, string? LastName, DateOnly? DateOfBirth)
{
    public string? RelationshipToSubscriber { get; init; }

    public override string ToString() => "IntakePatient { *** }";
}

internal sealed record IntakePerson(string? FirstName, string? LastName, DateOnly? DateOfBirth)
{
    public override string ToString() => "IntakePerson { *** }";
}

internal sealed record IntakeInsurance(string? PayerId, string? PayerName, string? MemberId, string? GroupNumber)
{
    public override string ToString() => "IntakeInsurance { *** }";
}

internal sealed record IntakeContact(string? Phone, string? Email, string? BestTime, bool? MayLeaveMessage)
{
    public override string ToString() => "IntakeContact { *** }";
}

internal sealed record IntakeConsent(string? Version, string? Signature)
{
    public override string ToString() => "IntakeConsent { *** }";
}

internal sealed record IntakeForm(string? Token, string? Solution);

/// <summary>The answer to every accepted-looking request, whatever is known of the person.</summary>
internal sealed record IntakeAcknowledgement(string Reference, string Message)
{
    public const string Text = "Thank you. Our admissions team will call you.";
}

/// <summary>What a web request stores, encrypted (<c>intake_requests.payload_cipher</c>).</summary>
internal sealed record IntakePayload(
    PatientInfo Patient,
    SubscriberInfo? Subscriber,
    string? PayerId,
    string PayerName,
    string MemberId,
    string? GroupNumber,
    string Phone,
    string? Email,
    string? BestTime,
    bool MayLeaveMessage,
    string ConsentVersion,
    string Signature,
    DateTimeOffset SignedAt)
{
    public override string ToString() => "IntakePayload { *** }";
}

/// <summary>Callback statuses of a web request.</summary>
internal static class CallbackStatuses
{
    public const string New = "new";
    public const string Called = "called";
    public const string Reached = "reached";
    public const string Closed = "closed";

    public static bool IsKnown(string? status) => status is New or Called or Reached or Closed;
}

/// <summary><c>callback</c> of a web request (http-api.md).</summary>
internal sealed record IntakeCallback(string Status, string Phone, string? BestTime, bool MayLeaveMessage);

/// <summary>A web request as admissions see it (<c>GET /api/v1/intake/requests</c>).</summary>
internal sealed record IntakeRequestView
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public string Source { get; init; } = "website";
    public required DateTimeOffset CreatedAt { get; init; }
    public required IntakeCallback Callback { get; init; }
    public required bool PayerKnown { get; init; }
    public string? PayerId { get; init; }
    public required string PayerName { get; init; }
    public required string PatientName { get; init; }
    public required DateOnly DateOfBirth { get; init; }
    public string? Email { get; init; }
    public Guid? ConsentId { get; init; }
    public Guid? VerificationId { get; init; }
}

internal sealed record IntakeRequestList(IReadOnlyList<IntakeRequestView> Items);

/// <summary><c>PUT /api/v1/intake/requests/{id}/callback</c>: a new status, and for an unknown insurer the payer staff picked.</summary>
internal sealed record IntakeCallbackUpdate(string? Status, string? PayerId);
