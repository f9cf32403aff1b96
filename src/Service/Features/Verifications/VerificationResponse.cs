using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Estimates;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>The wire shape of one verification (http-api.md, <c>GET /api/v1/verifications/{id}</c>).</summary>
internal sealed record VerificationResponse
{
    public required Guid Id { get; init; }
    public required string Status { get; init; }
    public int Attempts { get; init; }
    public DateTimeOffset? CheckedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public PayerInfo? Payer { get; init; }
    public NormalizedCoverage? Coverage { get; init; }
    public EstimateResponse? Estimate { get; init; }
    public IReadOnlyList<AaaError> Errors { get; init; } = [];
    public IReadOnlyList<string> Assumptions { get; init; } = [];
    public IReadOnlyList<string> Warnings { get; init; } = [];
    public string? Network { get; init; }

    /// <summary>The authorisations recorded on this verification, oldest first (#17); set by the endpoints that show them.</summary>
    public IReadOnlyList<AuthorizationResponse>? Authorizations { get; init; }

    /// <summary>The payer contract the estimate used (<c>{ id, matchedOn }</c>), or null: none matched (the assumptions say what was used).</summary>
    public ContractMatchInfo? Contract { get; init; }

    /// <summary>Completions by phone or portal (http-api.md "Completing a verification"), in the order entered.</summary>
    public IReadOnlyList<Completions.Completion> Completions { get; init; } = [];

    /// <summary>How the payer was asked in the end (<c>sentAs</c>) and how many arrangements were tried (<c>attempts</c>).</summary>
    public InquiryInfo? Inquiry { get; init; }
    public string? LastErrorCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? PatientRef { get; init; }
    public Guid? BatchId { get; init; }
    public Guid? PreviousVerificationId { get; init; }

    /// <summary>The verification this one corrects (staff's "edit and verify again").</summary>
    public Guid? CorrectsVerificationId { get; init; }

    /// <summary>On a linked verification to a carve-out administrator: the verification it asks for (http-api.md "Carve-outs").</summary>
    public Guid? CarveOutOf { get; init; }

    /// <summary>The consent record that covers this verification's payer calls, with its state now.</summary>
    public ConsentResponse? Consent { get; init; }

    /// <summary>Who and what was asked: shown to staff who may see it (the read is audited by the store).</summary>
    public PatientInfo? Patient { get; init; }
    public InsuranceInfo? Insurance { get; init; }

    /// <summary>The plan holder when the patient is a dependent (http-api.md "Dependents").</summary>
    public SubscriberInfo? Subscriber { get; init; }
    public DateOnly? DateOfService { get; init; }
    public ProgramInfo? Program { get; init; }

    public static VerificationResponse From(VerificationRecord record, ConsentResponse? consent = null)
    {
        var payload = VerificationJson.ReadPayload(record.PayloadJson);
        var result = VerificationJson.ReadResult(record.ResultJson);
        return new VerificationResponse
        {
            Id = record.Id,
            Status = record.Status,
            Attempts = record.Attempts,
            CheckedAt = record.CheckedAt,
            CreatedAt = record.CreatedAt,
            CreatedBy = record.CreatedBy,
            Payer = result?.Payer ?? new PayerInfo(record.PayerId, null),
            Coverage = result?.Coverage,
            Estimate = result?.Estimate,
            Errors = result?.Errors ?? [],
            Assumptions = result?.Assumptions ?? [],
            Warnings = result?.Warnings ?? [],
            Network = result?.Network,
            Contract = result?.Contract,
            Completions = result?.Completions ?? [],
            Inquiry = result?.Inquiry,
            LastErrorCode = record.LastErrorCode,
            LastError = record.LastError,
            NextAttemptAt = record.Status == VerificationStatus.Queued ? record.NextAttemptAt : null,
            PatientRef = payload.PatientRef,
            BatchId = record.BatchId,
            PreviousVerificationId = record.PreviousVerificationId,
            CorrectsVerificationId = payload.Corrects,
            CarveOutOf = payload.CarveOutOf?.VerificationId,
            Consent = consent,
            Patient = payload.Patient,
            Insurance = payload.Insurance,
            Subscriber = payload.Subscriber,
            DateOfService = payload.DateOfService,
            Program = payload.Program,
        };
    }
}
