using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using CoverageCheck.Clients;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.CarveOuts;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>How one attempt at a verification ended.</summary>
internal enum AttemptOutcome
{
    /// <summary>The payer answered with benefits: the verification is done.</summary>
    Completed,

    /// <summary>The payer answered, but a person must act (data to correct, enrolment, an unreadable answer).</summary>
    NeedsReview,

    /// <summary>A transient failure (transport fault, AAA 42/80/04 …): try again later.</summary>
    Retry,

    /// <summary>Waiting for the linked verification to a carve-out administrator (Features/CarveOuts): back in the queue until it ends.</summary>
    Waiting,
}

/// <summary>Why an attempt is to be retried, which decides what it counts against (<c>Verification:MaxAttempts</c> or only time).</summary>
internal enum RetryCause
{
    /// <summary>The payer could not answer: its outage, a timeout, throttling, AAA 42/80. Given up by time only.</summary>
    PayerUnavailable,

    /// <summary>Nothing reached the payer (its breaker was open, the concurrency queue was full). Never counts.</summary>
    NotSent,

    /// <summary>The payer answered about this member and asked to try again (or this item failed on our side): counts against MaxAttempts.</summary>
    Member,
}

/// <summary>
/// What one attempt found. <c>Cause</c> says what a retry counts against; <c>Sent</c> is how many of its requests
/// reached the clearinghouse (0: the breaker or the limiter refused it).
/// </summary>
internal sealed record AttemptResult(
    AttemptOutcome Outcome,
    VerificationResult? Result,
    string? ErrorCode,
    string? Error,
    TimeSpan? RetryAfter = null,
    RetryCause Cause = RetryCause.PayerUnavailable,
    int Sent = 0)
{
    /// <summary>With <see cref="AttemptOutcome.Waiting"/>: the linked verification to a carve-out administrator to queue.</summary>
    public NewVerification? LinkedVerification { get; init; }
}

/// <summary>
/// One attempt at a verification: ask the payer (substance-abuse benefits first, health-plan coverage when the payer
/// refuses the specific code), read the answer, and estimate the program from the benefits.
/// Shared by the real-time path of the API and the worker, so both behave the same.
/// </summary>
internal sealed class VerificationProcessor(
    IClearinghouseClient clearinghouse,
    ConsentStore consents,
    VerificationEstimator estimator,
    CarveOutFollower carveOuts,
    PayerDirectory payers,
    ContractStore contracts,
    AuthorizationStore authorizations,
    VerificationTelemetry telemetry,
    AuditStore audit,
    TimeProvider timeProvider,
    ILogger<VerificationProcessor> logger)
{
    /// <summary>Substance abuse, the most specific code every payer should know for IOP.</summary>
    internal const string SubstanceAbuseServiceType = "AI";

    /// <summary>Health benefit plan coverage: the fallback every payer must answer.</summary>
    internal const string HealthPlanServiceType = "30";

    // parent: the trace the verification was created in, for an attempt outside that request (the worker's);
    // default: the current activity, if any.
    // access: who the payer calls are made for (the request's caller, the worker), for the audit of each arrangement.
    public async Task<AttemptResult> AttemptAsync(
        Guid verificationId, VerificationPayload payload, int attempt, CancellationToken cancellationToken, ActivityContext parent = default,
        AccessContext? access = null)
    {
        using var activity = VerificationTelemetry.Source.StartActivity("verification.attempt", ActivityKind.Internal, parent);
        activity?.SetTag("verification.id", verificationId);
        activity?.SetTag("payer.id", payload.Insurance.PayerId);
        activity?.SetTag("verification.attempt", attempt);

        // 42 CFR Part 2: no payer hears of this person unless a valid, unrevoked consent covers the call now.
        var consent = await consents.CheckAsync(payload, timeProvider.GetUtcNow(), cancellationToken);
        if (!consent.Allowed)
        {
            activity?.SetTag("verification.outcome", consent.Code);
            logger.LogWarning("Verification {VerificationId} attempt {Attempt}: {Code}; the payer was not asked", verificationId, attempt, consent.Code);
            return new AttemptResult(AttemptOutcome.NeedsReview, null, consent.Code, consent.Reason);
        }

        // A verification whose carve-out is being followed asks no payer itself: it waits for its linked verification.
        if (await carveOuts.FollowAsync(verificationId, payload, access ?? AccessContext.ForWorker("verification-processor"), cancellationToken) is { } followed)
        {
            activity?.SetTag("verification.outcome", followed.Outcome.ToString());
            return followed;
        }

        var payer = payers.Find(payload.Insurance.PayerId);
        var started = timeProvider.GetTimestamp();
        var sent = 0;
        try
        {
            var serviceType = SubstanceAbuseServiceType;
            var sentAs = InquiryArrangements.First(payload);
            var arrangements = 1;
            var answer = await AskAsync(verificationId, payload, serviceType, sentAs, cancellationToken);
            sent += answer.Attempts;
            await AuditInquiryAsync(verificationId, payload, sentAs, answer, access, cancellationToken);
            if (payload.IsDependent && InquiryArrangements.NotFound(answer.Reading))
            {
                // Not found this way (AAA 75/73/71): a dependent with an ID of their own is the subscriber to the payer,
                // one without is found under the subscriber. Try the other arrangement once.
                sentAs = InquiryArrangements.Other(sentAs);
                arrangements = 2;
                answer = await AskAsync(verificationId, payload, serviceType, sentAs, cancellationToken);
                sent += answer.Attempts;
                await AuditInquiryAsync(verificationId, payload, sentAs, answer, access, cancellationToken);
            }

            if (answer.Reading.Errors.Any(e => e.Class == AaaClass.BenefitMismatch))
            {
                // The payer does not answer for the specific code: ask again for the plan's coverage (eligibility.md).
                serviceType = HealthPlanServiceType;
                answer = await AskAsync(verificationId, payload, serviceType, sentAs, cancellationToken);
                sent += answer.Attempts;
            }

            telemetry.RecordPayerLatency(payload.Insurance.PayerId, timeProvider.GetElapsedTime(started));
            // #17: the payer's contracts, one of which may set the network status and allowed amount for this plan.
            var payerContracts = answer.Reading.Coverage is null ? [] : await contracts.ListAsync(payload.Insurance.PayerId, cancellationToken);
            var onFile = answer.Reading.Coverage is null || payload.Program is null ? null : await authorizations.ForEstimateAsync(verificationId, cancellationToken);
            var result = Classify(verificationId, payload, answer, serviceType, payer, new InquiryInfo(sentAs, arrangements), payerContracts, onFile) with { Sent = sent };
            telemetry.RecordAttempt(payload.Insurance.PayerId, result.Outcome);
            activity?.SetTag("verification.outcome", result.Outcome.ToString());
            return result;
        }
        catch (ClearinghouseUnavailableException e)
        {
            telemetry.RecordPayerLatency(payload.Insurance.PayerId, timeProvider.GetElapsedTime(started));
            var outcome = e.IsTransient ? AttemptOutcome.Retry : AttemptOutcome.NeedsReview;
            telemetry.RecordAttempt(payload.Insurance.PayerId, outcome);
            activity?.SetStatus(ActivityStatusCode.Error, e.Reason.ToString());
            logger.LogWarning("Verification {VerificationId} attempt {Attempt}: clearinghouse {Reason} for payer {PayerId}",
                verificationId, attempt, e.Reason, payload.Insurance.PayerId);
            var code = "clearinghouse-" + e.Reason.ToString().ToLowerInvariant();
            sent += e.Attempts;
            return new AttemptResult(outcome, null, code, e.Message, e.RetryAfter,
                sent == 0 ? RetryCause.NotSent : RetryCause.PayerUnavailable, sent);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A timeout inside the client that escaped as cancellation: transient.
            telemetry.RecordAttempt(payload.Insurance.PayerId, AttemptOutcome.Retry);
            return new AttemptResult(AttemptOutcome.Retry, null, "clearinghouse-timeout", "The clearinghouse did not answer in time.", Sent: sent);
        }
    }

    /// <summary>Asks the clearinghouse; the answer comes back already normalised (the Service reads no wire format).</summary>
    private Task<ClearinghouseAnswer> AskAsync(
        Guid verificationId, VerificationPayload payload, string serviceType, string sentAs, CancellationToken cancellationToken)
    {
        var asDependent = sentAs == InquiryArrangements.Dependent && payload.Subscriber is not null;
        var subscriber = payload.Subscriber;
        var inquiry = new EligibilityInquiry(
            payload.Insurance.PayerId,
            asDependent ? subscriber!.FirstName : payload.Patient.FirstName,
            asDependent ? subscriber!.LastName : payload.Patient.LastName,
            asDependent ? subscriber!.DateOfBirth : payload.Patient.DateOfBirth,
            payload.Insurance.MemberId,
            payload.Insurance.GroupNumber,
            payload.DateOfService,
            serviceType,
            ControlNumber(verificationId, serviceType, asDependent))
        {
            Dependent = asDependent
                ? new InquiryDependent(payload.Patient.FirstName, payload.Patient.LastName, payload.Patient.DateOfBirth,
                    Relationships.ToX12Code(payload.Patient.RelationshipToSubscriber!))
                : null,
        };
        return clearinghouse.CheckEligibilityAsync(inquiry, cancellationToken);
    }

    /// <summary>
    /// One audit entry per arrangement a dependent's inquiry was sent in, with what the payer said
    /// (<c>inquiry-subscriber:aaa-75</c>, <c>inquiry-dependent:answered</c>): the record is the verification, never the person.
    /// </summary>
    private Task AuditInquiryAsync(
        Guid verificationId, VerificationPayload payload, string sentAs, ClearinghouseAnswer answer, AccessContext? access, CancellationToken cancellationToken)
    {
        if (!payload.IsDependent)
        {
            return Task.CompletedTask;
        }

        var said = answer.Reading.Errors.FirstOrDefault() is { Code: { } code } ? "aaa-" + code : answer.Reading.Coverage is null ? "no-coverage" : "answered";
        return audit.AppendAsync(access ?? AccessContext.ForWorker("verification-processor"), $"inquiry-{sentAs}:{said}",
            AuditRecordTypes.Verification, verificationId.ToString(), cancellationToken);
    }

    private AttemptResult Classify(
        Guid verificationId, VerificationPayload payload, ClearinghouseAnswer answer, string serviceType, Payer? listed, InquiryInfo inquiry, IReadOnlyList<Contract> payerContracts,
        IReadOnlyList<Estimator.Authorization>? onFile)
    {
        var reading = answer.Reading;
        var payer = new PayerInfo(payload.Insurance.PayerId, reading.Payer?.Name ?? listed?.Name);
        var contract = reading.Coverage is null ? null : MatchContract(payload, reading.Coverage, payerContracts);
        var network = contract is { } matched
            ? (matched.Contract.Network == ContractNetworks.Out ? PayerNetwork.Out : PayerNetwork.In)
            : listed?.Network;
        var result = new VerificationResult
        {
            CheckedAt = timeProvider.GetUtcNow(),
            Payer = payer,
            Coverage = reading.Coverage is { } read ? read with { PatientIs = payload.IsDependent ? InquiryArrangements.Dependent : InquiryArrangements.Subscriber } : null,
            Inquiry = inquiry,
            Errors = reading.Errors,
            Warnings = reading.Warnings,
            Assumptions = reading.Assumptions,
            ServiceTypeAsked = serviceType,
            Network = network switch { PayerNetwork.In => "in", PayerNetwork.Out => "out", _ => "unknown" },
            Contract = contract?.Info,
            RawAnswer = answer.RawAnswer,
        };

        if (!reading.IsReadable)
        {
            // The reasons quote the answer's values, so they go with the encrypted result, not into last_error.
            result = result with { Warnings = [.. result.Warnings, .. reading.InputErrors.Take(20)] };
            return new AttemptResult(AttemptOutcome.NeedsReview, result, "unreadable-answer",
                $"The clearinghouse answered HTTP {answer.StatusCode.ToString(CultureInfo.InvariantCulture)} but the answer could not be read; the reasons are in the verification's warnings.");
        }

        if (reading.Errors.FirstOrDefault(e => e.Retryable) is { } transient)
        {
            // AAA 42/80: the payer could not answer anyone; any other "try again" is about this member's inquiry.
            var cause = transient.Code is "42" or "80" ? RetryCause.PayerUnavailable : RetryCause.Member;
            return new AttemptResult(AttemptOutcome.Retry, result, PayerErrorText.Code(transient.Code), PayerErrorText.LastError(transient), Cause: cause);
        }

        if (reading.Errors.Count > 0 && reading.Coverage is null)
        {
            var first = reading.Errors[0];
            return new AttemptResult(AttemptOutcome.NeedsReview, result, PayerErrorText.Code(first.Code), PayerErrorText.LastError(first));
        }

        if (reading.Coverage is null)
        {
            return new AttemptResult(AttemptOutcome.NeedsReview, result, "no-coverage",
                "The payer's answer held neither coverage nor a rejection.");
        }

        // A configured behavioural-health administrator holds these benefits: ask it (linked verification), then estimate.
        if (carveOuts.Link(verificationId, payload, result) is { } linked)
        {
            return linked;
        }

        if (payload.Program is not null)
        {
            var (estimate, assumptions) = estimator.Estimate(payload, result.Coverage!, listed, contract, onFile);
            result = result with { Estimate = estimate, Assumptions = [.. result.Assumptions, .. assumptions] };
        }

        return new AttemptResult(AttemptOutcome.Completed, result, null, null);
    }

    /// <summary>The most specific contract in force on the first session's date for this plan (ContractMatcher), or null.</summary>
    internal static ContractMatchResult? MatchContract(VerificationPayload payload, NormalizedCoverage coverage, IReadOnlyList<Contract> payerContracts)
    {
        if (payerContracts.Count == 0)
        {
            return null;
        }

        var program = payload.Program;
        var on = ContractSubject.DateFor(program?.StartDate, program?.Weeks ?? 1, program?.DaysPerWeek ?? 1, payload.DateOfService);
        return ContractMatcher.Match(payerContracts, ContractSubject.From(payload.Insurance.PayerId, coverage, payload.Insurance.GroupNumber, on));
    }

    /// <summary>Nine digits that tie the inquiry to its verification (the JSON controlNumber, X12 ST02/BHT03).</summary>
    internal static string ControlNumber(Guid verificationId, string serviceType, bool asDependent = false)
    {
        // The last eight bytes of a version-7 GUID are random; the first ones are its timestamp, which a census batch
        // shares across thousands of ids created in the same millisecond.
        Span<byte> bytes = stackalloc byte[16];
        verificationId.TryWriteBytes(bytes);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) ^ (serviceType == HealthPlanServiceType ? 1UL : 0UL) ^ (asDependent ? 2UL : 0UL);
        return (value % 1_000_000_000UL).ToString("D9", CultureInfo.InvariantCulture);
    }
}
