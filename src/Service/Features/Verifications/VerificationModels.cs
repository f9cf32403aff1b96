using System.Buffers.Text;
using System.Globalization;
using System.Text;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>The <c>status</c> values of a verification.</summary>
internal static class VerificationStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string NeedsReview = "needs-review";

    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Queued, InProgress, Completed, Failed, NeedsReview };

    /// <summary>States a worker may finish a verification in.</summary>
    public static bool IsFinal(string status) => status is Completed or Failed;
}

/// <summary>A lease taken at insert time, so the caller (the real-time API path) works the item before any worker can.</summary>
internal sealed record VerificationLease(string Owner, TimeSpan Duration);

/// <summary>A verification to store. PHI properties are encrypted by the store; <see cref="ToString"/> never prints them.</summary>
internal sealed record NewVerification
{
    public required string PayerId { get; init; }

    /// <summary>Used only for the keyed lookup hash (member_key); the payload carries it encrypted.</summary>
    [Phi]
    public required string MemberId { get; init; }

    /// <summary>The patient control number the program bills with (patientRef); stored only as a keyed hash (patient_ref_key), for matching remittances.</summary>
    [Phi]
    public string? PatientRef { get; init; }

    /// <summary>The request as JSON, including the patient's name, date of birth and member ID.</summary>
    [Phi]
    public required string PayloadJson { get; init; }

    /// <summary>The caller's Idempotency-Key; scoped to the caller (AccessContext.Actor). Stored only as a hash.</summary>
    [Secret]
    public string? IdempotencyKey { get; init; }

    /// <summary>Leave null to get a time-ordered id (GUID v7).</summary>
    public Guid? Id { get; init; }

    /// <summary>Last day of the program, for the nightly re-verification.</summary>
    public DateOnly? ProgramEnd { get; init; }

    public Guid? BatchId { get; init; }

    public int? BatchLine { get; init; }

    /// <summary>The verification this one re-checks (nightly re-verification).</summary>
    public Guid? PreviousVerificationId { get; init; }

    /// <summary>When the worker may first pick it up; default now.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the request that created it, so the worker's attempts join that trace; null
    /// when traces are not recorded. Not PHI.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>Insert as in-progress, leased to the caller, instead of queued (see <see cref="VerificationLease"/>).</summary>
    public VerificationLease? Lease { get; init; }

    /// <summary>The consent record that covers this verification's payer calls.</summary>
    public Guid? ConsentId { get; init; }

    /// <summary>A consent given with this request, recorded in the same transaction (its id is <see cref="ConsentId"/>).</summary>
    public NewConsent? NewConsent { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Id = {Id}, PayerId = {PayerId}, MemberId = [PHI], PayloadJson = [PHI], ");
        builder.Append(CultureInfo.InvariantCulture, $"BatchId = {BatchId}, BatchLine = {BatchLine}, ProgramEnd = {ProgramEnd}, Lease = {Lease}");
        return true;
    }
}

/// <summary>A stored verification with its payload and result decrypted.</summary>
internal sealed record VerificationRecord
{
    public required Guid Id { get; init; }
    public required string Status { get; init; }
    public required string PayerId { get; init; }

    /// <summary>The keyed hash of payer and member ID (no PHI): compare runs for the same member with it.</summary>
    public required string MemberKey { get; init; }

    [Phi]
    public required string PayloadJson { get; init; }

    [Phi]
    public string? ResultJson { get; init; }

    public int Attempts { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public string? LeaseOwner { get; init; }
    public DateTimeOffset? LeaseExpiresAt { get; init; }
    public string? LastErrorCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public Guid? BatchId { get; init; }
    public int? BatchLine { get; init; }
    public DateOnly? ProgramEnd { get; init; }
    public Guid? PreviousVerificationId { get; init; }

    /// <summary>The consent record covering its payer calls (read where the record is shown).</summary>
    public Guid? ConsentId { get; init; }

    public int Version { get; init; }

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"Id = {Id}, Status = {Status}, PayerId = {PayerId}, PayloadJson = [PHI], ResultJson = [PHI], ");
        builder.Append(CultureInfo.InvariantCulture, $"Attempts = {Attempts}, LeaseOwner = {LeaseOwner}, LastErrorCode = {LastErrorCode}, Version = {Version}");
        return true;
    }
}

/// <summary>The result of an insert: the stored record and whether this call created it (false: idempotent replay).</summary>
internal sealed record InsertedVerification(VerificationRecord Record, bool Created);

/// <summary>A row of the admissions work queue; carries no PHI.</summary>
internal sealed record VerificationSummary
{
    public Guid Id { get; init; }
    public string Status { get; init; } = "";
    public string PayerId { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? CheckedAt { get; init; }
    public string? LastErrorCode { get; init; }
}

/// <summary>Filters for the work queue, newest first. <see cref="Before"/> continues from a previous page.</summary>
internal sealed record VerificationQuery
{
    public const int MaxLimit = 500;

    public string? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public string? PayerId { get; init; }
    public string? CreatedBy { get; init; }
    public int Limit { get; init; } = 50;
    public VerificationCursor? Before { get; init; }
}

internal sealed record VerificationPage(IReadOnlyList<VerificationSummary> Items, VerificationCursor? Next);

/// <summary>A keyset position in the newest-first work queue; opaque to clients as <see cref="ToString"/>.</summary>
internal sealed record VerificationCursor(DateTimeOffset CreatedAt, Guid Id)
{
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{CreatedAt.UtcTicks}.{Id:N}");
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(text));
    }

    public static bool TryParse(string? value, out VerificationCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(value) || value.Length > 128)
        {
            return false;
        }

        try
        {
            var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(value));
            var dot = text.IndexOf('.', StringComparison.Ordinal);
            if (dot <= 0
                || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks
                || !Guid.TryParseExact(text.AsSpan(dot + 1), "N", out var id))
            {
                return false;
            }

            cursor = new VerificationCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}

/// <summary>Queue depth for metrics.</summary>
internal sealed record QueueStats(int Queued, int InProgress, TimeSpan? OldestQueuedAge);

/// <summary>A member whose latest completed check should be repeated (no PHI: read the payload with GetAsync).</summary>
internal sealed record ReverificationCandidate
{
    public Guid VerificationId { get; init; }
    public string PayerId { get; init; } = "";
    public string MemberKey { get; init; } = "";
    public DateOnly ProgramEnd { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
}

/// <summary>The <c>kind</c> values of a verification change.</summary>
internal static class VerificationChangeKinds
{
    public const string CoverageEnded = "coverage-ended";
    public const string CoverageStarted = "coverage-started";
    public const string DeductibleProgressed = "deductible-progressed";
    public const string OutOfPocketProgressed = "out-of-pocket-progressed";
    public const string PlanChanged = "plan-changed";
    public const string NetworkChanged = "network-changed";
}

/// <summary>What changed between two runs for the same member. <see cref="Detail"/> must not contain PHI.</summary>
/// <summary>A change found against the previous verification, written with the new verification's completion.</summary>
internal sealed record DetectedChange(Guid PreviousVerificationId, string Kind, string Detail);

internal sealed record VerificationChange
{
    public long Id { get; init; }
    public Guid VerificationId { get; init; }
    public Guid? PreviousVerificationId { get; init; }
    public string Kind { get; init; } = "";
    public string Detail { get; init; } = "";
    public DateTimeOffset DetectedAt { get; init; }
}
