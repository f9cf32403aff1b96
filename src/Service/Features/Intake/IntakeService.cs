using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>The outcome of a web request: a reference to show, or the fields to correct.</summary>
internal sealed record IntakeOutcome(string? Reference, Dictionary<string, string[]>? Errors);

/// <summary>
/// Turns a web request into a consent record, a queued verification under it and a web request for admissions; and
/// lets admissions work the callback. Queued, never real time: the visitor's answer does not wait on (or reveal) the payer.
/// </summary>
internal sealed class IntakeService(
    FormTokens tokens,
    IntakeStore store,
    VerificationIntake verifications,
    PayerDirectory payers,
    ProgramTime programTime,
    TimeProvider timeProvider,
    ILogger<IntakeService> logger)
{
    private const string TokenField = "form.token";

    public async Task<IntakeOutcome> AcceptAsync(IntakeRequest request, AccessContext access, CancellationToken cancellationToken)
    {
        // A robot filled the hidden field: the same answer a person gets, and nothing is kept.
        if (!string.IsNullOrEmpty(request.Website))
        {
            logger.LogInformation("Website request refused: honeypot filled");
            return new IntakeOutcome(IntakeStore.NewReference(), null);
        }

        var now = timeProvider.GetUtcNow();
        var errors = new FieldErrors();
        var payload = IntakeValidation.Validate(request, payers, programTime.Today, now, errors);
        var (verdict, tokenId) = request.Form?.Token is { Length: > 0 } token ? tokens.Check(token, request.Form.Solution) : (FormTokenVerdict.Unreadable, null);
        if (payload is not null && verdict != FormTokenVerdict.Accepted)
        {
            logger.LogInformation("Website request refused: form token {Verdict}", verdict);
            errors.Add(TokenField, verdict switch
            {
                FormTokenVerdict.TooFast => "The form was sent too quickly. Wait a moment and send it again.",
                FormTokenVerdict.TooOld => "The form has expired: reload the page and send it again.",
                FormTokenVerdict.WrongSolution => "The form's check did not complete: reload the page and send it again.",
                _ => "The form could not be checked: reload the page and send it again.",
            });
        }

        if (payload is null || !errors.IsEmpty || tokenId is null)
        {
            return new IntakeOutcome(null, errors.ToDictionary());
        }

        var id = Guid.CreateVersion7(now);
        var reference = IntakeStore.NewReference();
        var verification = payload.PayerId is null ? null : Prepare(payload);
        if (!await store.InsertAsync(id, reference, tokenId, payload, verification, access, cancellationToken))
        {
            logger.LogInformation("Website request refused: form token used before");
            errors.Add(TokenField, "This form was already sent: reload the page to send another request.");
            return new IntakeOutcome(null, errors.ToDictionary());
        }

        if (verification is not null)
        {
            verifications.Notify();
        }

        logger.LogInformation("Website request {IntakeId} stored; payer known: {PayerKnown}", id, payload.PayerId is not null);
        return new IntakeOutcome(reference, null);
    }

    public async Task<IReadOnlyList<IntakeRequestView>> ListAsync(string? status, AccessContext access, CancellationToken cancellationToken) =>
        [.. (await store.ListAsync(status, 200, access, cancellationToken)).Select(View)];

    public async Task<IntakeRequestView?> GetAsync(Guid id, AccessContext access, CancellationToken cancellationToken) =>
        await store.GetAsync(id, access, cancellationToken) is { } record ? View(record) : null;

    /// <summary>Sets the callback status and/or picks the payer of a request whose insurer was unknown (queuing its verification).</summary>
    public async Task<(IntakeRequestView? View, Dictionary<string, string[]>? Errors)> UpdateAsync(
        Guid id, IntakeCallbackUpdate update, AccessContext access, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        if (update.Status is not null && !CallbackStatuses.IsKnown(update.Status))
        {
            errors.Add("status", "Use new, called, reached or closed.");
        }

        Payer? payer = null;
        if (!string.IsNullOrWhiteSpace(update.PayerId) && (payer = payers.Find(update.PayerId.Trim())) is null)
        {
            errors.Add("payerId", "Choose a payer from the payer table.");
        }

        if (update.Status is null && payer is null)
        {
            errors.Add("status", "Give a status, a payer, or both.");
        }

        if (!errors.IsEmpty)
        {
            return (null, errors.ToDictionary());
        }

        IntakePayload? payload = null;
        NewVerification? verification = null;
        if (payer is not null)
        {
            var current = await store.GetAsync(id, access, cancellationToken);
            if (current is null)
            {
                return (null, null);
            }

            if (current.VerificationId is not null)
            {
                errors.Add("payerId", "This request already has a verification; verify again from its result page.");
                return (null, errors.ToDictionary());
            }

            payload = current.Payload with { PayerId = payer.Id, PayerName = payer.Name };
            verification = Prepare(payload);
        }

        var updated = await store.UpdateAsync(id, update.Status, payload, verification, access, cancellationToken);
        if (verification is not null && updated is not null)
        {
            verifications.Notify();
        }

        return (updated is null ? null : View(updated), null);
    }

    /// <summary>
    /// The queued verification (and its electronic consent record, given by the patient under the text version they
    /// read, for the payer they named) a web request becomes.
    /// </summary>
    private NewVerification Prepare(IntakePayload payload)
    {
        var consent = new ConsentInfo(Obtained: true, ConsentMethods.Electronic)
        {
            GivenBy = ConsentGivers.Patient,
            GivenAt = payload.SignedAt,
            ExpiresAt = payload.SignedAt + IntakeConsentText.Lifetime,
            TextVersion = payload.ConsentVersion,
        };
        var request = new VerificationPayload(
            payload.Patient,
            new InsuranceInfo(payload.PayerId!, payload.MemberId, payload.GroupNumber),
            programTime.Today,
            consent,
            Program: null,
            Pricing: null)
        {
            Subscriber = payload.Subscriber,
        };
        var prepared = verifications.Prepare([new QueuedSubmission(request, BatchId: null, BatchLine: null)])[0];
        return prepared.NewConsent is { } recorded ? prepared with { NewConsent = recorded with { Source = ConsentSources.Website } } : prepared;
    }

    private static IntakeRequestView View(IntakeRecord record) => new()
    {
        Id = record.Id,
        Reference = record.Reference,
        CreatedAt = record.CreatedAt,
        Callback = new IntakeCallback(record.CallbackStatus, IntakeValidation.FormatPhone(record.Payload.Phone), record.Payload.BestTime, record.Payload.MayLeaveMessage),
        PayerKnown = record.PayerKnown,
        PayerId = record.PayerId,
        PayerName = record.Payload.PayerName,
        PatientName = $"{record.Payload.Patient.FirstName} {record.Payload.Patient.LastName}",
        DateOfBirth = record.Payload.Patient.DateOfBirth,
        Email = record.Payload.Email,
        ConsentId = record.ConsentId,
        VerificationId = record.VerificationId,
    };
}
