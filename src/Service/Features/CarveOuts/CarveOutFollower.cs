using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.CarveOuts;

/// <summary>
/// Follows a carve-out to the administrator that holds the behavioural-health benefits (http-api.md "Carve-outs"):
/// when a plan's answer names a configured administrator, a linked verification (the child) asks it, under the same
/// consent, about the same patient; the verification (the parent) waits in the queue as <c>carve-out-pending</c> and,
/// once the child has the administrator's benefits, completes with them (<c>coverage.benefitsFrom</c>, warning
/// <c>benefits-from-carve-out</c>) and its estimate from them. An administrator that is not configured keeps the plan's
/// answer: its name, its phone, and "ask the administrator".
/// </summary>
internal sealed class CarveOutFollower(
    CarveOutDirectory directory,
    CarveOutLinks links,
    VerificationStore store,
    VerificationQueue queue,
    VerificationEstimator estimator,
    PayerDirectory payers,
    ContractStore contracts,
    AuthorizationStore authorizations,
    VerificationSignal signal,
    TimeProvider timeProvider,
    IOptionsMonitor<VerificationOptions> options)
{
    /// <summary>The parent's <c>lastErrorCode</c> while its linked verification runs.</summary>
    public const string PendingCode = "carve-out-pending";

    /// <summary>The parent's <c>lastErrorCode</c> when its linked verification ended in needs-review.</summary>
    public const string NeedsReviewCode = "carve-out-needs-review";

    /// <summary>The warning on a verification (and its estimate) whose benefits are the administrator's.</summary>
    public const string BenefitsFromCarveOut = "benefits-from-carve-out";

    private static readonly TimeSpan s_realTimePoll = TimeSpan.FromMilliseconds(50);

    private const string PendingText = "Waiting for the linked verification to the behavioural-health administrator.";

    /// <summary>
    /// When <paramref name="result"/>'s coverage names a configured administrator (and this is not itself a linked
    /// verification), the parent's answer to store and the child to queue; otherwise null.
    /// </summary>
    public AttemptResult? Link(Guid verificationId, VerificationPayload payload, VerificationResult result)
    {
        if (payload.CarveOutOf is not null || result.Coverage?.CarveOut is not { } carveOut || directory.Find(carveOut.Name) is not { } administrator)
        {
            return null;
        }

        var assumptions = new List<string>(result.Assumptions);
        var memberId = payload.Insurance.MemberId;
        if (administrator.MemberIdFromEntity)
        {
            if (carveOut.EntityId is { Length: > 0 } entityId)
            {
                memberId = entityId;
            }
            else
            {
                assumptions.Add($"The plan gave no member ID for {administrator.Name}: it is asked with the member ID on the card.");
            }
        }

        var now = timeProvider.GetUtcNow();
        var childId = Guid.CreateVersion7(now);
        var childPayload = payload with
        {
            Insurance = new InsuranceInfo(administrator.PayerId, memberId, GroupNumber: null) { MemberIdBelongsTo = payload.Insurance.MemberIdBelongsTo },
            CarveOutOf = new CarveOutParent(verificationId, payload.Insurance.PayerId, payload.Insurance.MemberId),
        };
        var child = new NewVerification
        {
            Id = childId,
            PayerId = administrator.PayerId,
            MemberId = memberId,
            PayloadJson = VerificationJson.Write(childPayload),
            // Not re-verified on its own: the parent's re-verification makes a new link.
            ProgramEnd = null,
            TraceParent = VerificationTelemetry.CurrentTraceParent(),
            ConsentId = payload.Consent.Id,
        };

        var parent = result with
        {
            Coverage = result.Coverage with
            {
                CarveOut = carveOut with { PayerId = administrator.PayerId, VerificationId = childId, Status = VerificationStatus.Queued },
            },
            Assumptions = assumptions,
        };
        return new AttemptResult(AttemptOutcome.Waiting, parent, PendingCode, PendingText) { LinkedVerification = child };
    }

    /// <summary>
    /// For a parent with a linked verification: wait while the child runs, complete from the administrator's benefits
    /// when it has them, or needs-review when it does. Null for a verification without a link (ask its payer).
    /// </summary>
    public async Task<AttemptResult?> FollowAsync(Guid verificationId, VerificationPayload payload, AccessContext access, CancellationToken cancellationToken)
    {
        if (payload.CarveOutOf is not null || await links.FindChildAsync(verificationId, cancellationToken) is not { } childId)
        {
            return null;
        }

        var state = await store.GetStateAsync(childId, cancellationToken);
        switch (state?.Status)
        {
            case VerificationStatus.Queued or VerificationStatus.InProgress:
                return new AttemptResult(AttemptOutcome.Waiting, null, PendingCode, PendingText);

            case VerificationStatus.Completed:
                var parent = await store.GetAsync(verificationId, access, cancellationToken);
                var child = await store.GetAsync(childId, access, cancellationToken);
                if (VerificationJson.ReadResult(parent?.ResultJson) is { Coverage: not null } parentResult
                    && VerificationJson.ReadResult(child?.ResultJson) is { Coverage: not null } childResult)
                {
                    // #17: the contract the administrator's plan matched (the child's) and the parent's authorisations.
                    var contract = childResult.Contract is { } matched && await contracts.GetAsync(matched.Id, cancellationToken) is { } current
                        ? new ContractMatchResult(current, matched.MatchedOn)
                        : null;
                    var onFile = payload.Program is null ? null : await authorizations.ForEstimateAsync(verificationId, cancellationToken);
                    return new AttemptResult(AttemptOutcome.Completed, Combine(payload, parentResult, childResult, child!.PayerId, childId, contract, onFile), null, null);
                }

                goto default;

            default:
                return new AttemptResult(AttemptOutcome.NeedsReview, null, NeedsReviewCode,
                    $"The linked verification to the behavioural-health administrator ({childId}) needs review; the plan's answer names the administrator to call.");
        }
    }

    /// <summary>The parent's answer with the administrator's benefits: tiers, warning, and the estimate from them.</summary>
    private VerificationResult Combine(
        VerificationPayload payload, VerificationResult parent, VerificationResult child, string administratorPayerId, Guid childId,
        ContractMatchResult? contract, IReadOnlyList<Estimator.Authorization>? onFile)
    {
        var medical = parent.Coverage!;
        var theirs = child.Coverage!;
        var name = directory.Find(medical.CarveOut?.Name)?.Name ?? child.Payer.Name ?? medical.CarveOut?.Name ?? administratorPayerId;
        var plan = medical.PlanName ?? parent.Payer.Name ?? "the medical plan";
        var coverage = medical with
        {
            // Not active at the administrator: there are no behavioural-health benefits to estimate from.
            Active = theirs.Active == false ? false : medical.Active,
            PlanBegin = theirs.PlanBegin ?? medical.PlanBegin,
            PlanEnd = theirs.PlanBegin is null ? medical.PlanEnd : theirs.PlanEnd,
            InNetwork = theirs.InNetwork,
            OutOfNetwork = theirs.OutOfNetwork,
            ServiceTypeUsed = theirs.ServiceTypeUsed,
            NonCovered = theirs.NonCovered,
            Messages = [.. medical.Messages, .. theirs.Messages],
            CarveOut = medical.CarveOut! with { PayerId = administratorPayerId, VerificationId = childId, Status = VerificationStatus.Completed },
            BenefitsFrom = new BenefitsSource(administratorPayerId, name),
        };

        var listed = payers.Find(administratorPayerId);
        var assumptions = new List<string>(parent.Assumptions)
        {
            $"Benefits from {name} (administers behavioural health for {plan}), from its linked verification {childId}.",
        };
        if (!HasAccumulators(theirs.InNetwork) && !HasAccumulators(theirs.OutOfNetwork))
        {
            assumptions.Add($"{name} gave no accumulators (deductible or out-of-pocket met so far): the estimate assumes none met.");
        }

        var result = parent with
        {
            CheckedAt = timeProvider.GetUtcNow(),
            Coverage = coverage,
            Warnings = [.. parent.Warnings.Where(w => w != BenefitsFromCarveOut), BenefitsFromCarveOut],
            Network = contract is not null ? contract.Contract.Network : listed?.Network switch { PayerNetwork.In => "in", PayerNetwork.Out => "out", _ => "unknown" },
            Contract = contract?.Info,
            Assumptions = assumptions,
            Estimate = null,
        };

        if (payload.Program is not null)
        {
            var (estimate, more) = estimator.Estimate(payload, coverage, listed, contract, onFile);
            result = result with { Estimate = estimate, Assumptions = [.. result.Assumptions, .. more] };
        }

        return result;
    }

    private static bool HasAccumulators(BenefitTier? tier) =>
        tier is not null && new[] { tier.Deductible?.Individual, tier.Deductible?.Family, tier.OutOfPocketMax?.Individual, tier.OutOfPocketMax?.Family }
            .Any(a => a?.Remaining is not null || a?.Met is not null);

    /// <summary>
    /// Writes a <see cref="AttemptOutcome.Waiting"/> attempt, fenced by the lease: the first one links the child and
    /// stores the parent's answer; later ones put the parent back until its child ends (which wakes it) or, at the
    /// latest, <c>Verification:RetryMaxDelay</c> from now.
    /// </summary>
    public async Task<bool> WaitAsync(VerificationRecord record, string leaseOwner, AttemptResult attempt, CancellationToken cancellationToken)
    {
        var recheckAt = timeProvider.GetUtcNow() + options.CurrentValue.RetryMaxDelay;
        if (attempt.LinkedVerification is { } child)
        {
            var linked = await links.LinkAsync(record.Id, leaseOwner, VerificationJson.Write(attempt.Result!), attempt.ErrorCode, attempt.Error, child,
                recheckAt, AccessContext.ForWorker(leaseOwner), cancellationToken);
            signal.Notify();
            return linked;
        }

        var rescheduled = await queue.RescheduleAsync(record.Id, leaseOwner, recheckAt, attempt.ErrorCode, attempt.Error, cancellationToken);

        // The child may have ended, and tried to wake this parent, between this attempt's look and the reschedule.
        if (rescheduled
            && await links.FindChildAsync(record.Id, cancellationToken) is { } childId
            && await store.GetStateAsync(childId, cancellationToken) is { Status: not (VerificationStatus.Queued or VerificationStatus.InProgress) })
        {
            await links.WakeAsync(record.Id, cancellationToken);
            signal.Notify();
        }

        return rescheduled;
    }

    /// <summary>
    /// For the real-time request that linked a child: waits, at most <paramref name="budget"/>, until the worker has
    /// finished the parent (the administrator answered) or the caller goes away; the caller then reads where it stands.
    /// </summary>
    public async Task WaitForParentAsync(Guid parentId, TimeSpan budget, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        try
        {
            while (timeProvider.GetElapsedTime(started) < budget)
            {
                await Task.Delay(s_realTimePoll, timeProvider, cancellationToken);
                if (await store.GetStateAsync(parentId, cancellationToken) is not { Status: VerificationStatus.Queued or VerificationStatus.InProgress })
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller left: the worker finishes the parent anyway.
        }
    }

    /// <summary>A linked verification ended (completed or needs-review): its parent is due now.</summary>
    public async Task ChildEndedAsync(VerificationRecord record, CancellationToken cancellationToken)
    {
        if (VerificationJson.ReadPayload(record.PayloadJson).CarveOutOf is { } parent)
        {
            await links.WakeAsync(parent.VerificationId, cancellationToken);
            signal.Notify();
        }
    }

    /// <summary>The answer with the linked verification's status as it is now (http-api.md: <c>coverage.carveOut.status</c>).</summary>
    public async Task<VerificationResponse> WithLiveStatusAsync(VerificationResponse response, CancellationToken cancellationToken)
    {
        if (response.Coverage?.CarveOut is not { VerificationId: { } childId } carveOut)
        {
            return response;
        }

        var state = await store.GetStateAsync(childId, cancellationToken);
        return response with { Coverage = response.Coverage with { CarveOut = carveOut with { Status = state?.Status ?? carveOut.Status } } };
    }
}
