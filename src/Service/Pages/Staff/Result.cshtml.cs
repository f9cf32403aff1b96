using System.Globalization;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Features.Verifications.Completions;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// One verification: coverage banner, benefits in and out of network, payer messages and the estimate; and for
/// admissions, issuing a Good Faith Estimate (kept as issued, and listed here for giving again).
/// </summary>
internal sealed class ResultModel(
    StaffVerifications verifications,
    VerificationStore store,
    GoodFaithEstimateDocument document,
    GoodFaithEstimateStore estimates,
    ConsentStore consents,
    VerificationQueue queue,
    VerificationSignal signal,
    CompletionService completions,
    ProgramTime time,
    TimeProvider timeProvider,
    IAuthorizationService authorization,
    AuthorizationStore authorizationStore,
    AuthorizationRecorder authorizationRecorder,
    ILogger<ResultModel> logger) : PageModel
{
    public VerificationView View { get; private set; } = null!;

    /// <summary>The "Complete by phone" form (filled in again when it had errors).</summary>
    [BindProperty]
    public CompletionForm Completion { get; set; } = new();

    /// <summary>The form's errors, by the API's field paths.</summary>
    public IReadOnlyDictionary<string, string[]> CompletionErrors { get; private set; } = new Dictionary<string, string[]>();
    /// <summary>The payer's authorisations recorded on this verification, oldest first (#17).</summary>
    public IReadOnlyList<AuthorizationResponse> Authorizations { get; private set; } = [];

    /// <summary>What was wrong with the authorisation form, by field (the form is shown again, filled in).</summary>
    public IReadOnlyDictionary<string, string[]> AuthorizationErrors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The authorisation form as posted, to show again with its errors.</summary>
    public AuthorizationForm? PostedAuthorization { get; private set; }

    /// <summary>What the last "Retry now" did, shown once after its redirect.</summary>
    [TempData]
    public string? RetryMessage { get; set; }

    /// <summary>The Good Faith Estimates issued for this verification (shown to those who may issue them).</summary>
    public IReadOnlyList<IssuedGoodFaithEstimate> IssuedEstimates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var view = await verifications.GetAsync(id, User, "staff page: verification result", cancellationToken);
        if (view is null)
        {
            return NotFound();
        }

        View = view;
        Completion.CallAt ??= time.Now.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Authorizations = await authorizationStore.ListAsync(id, cancellationToken);
        if (await MayIssueAsync())
        {
            IssuedEstimates = await estimates.ListAsync(id, cancellationToken);
        }

        return Page();
    }

    /// <summary>Issues a Good Faith Estimate, keeps the PDF as issued, and sends the browser to that copy.</summary>
    public async Task<IActionResult> OnPostGoodFaithEstimateAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await MayIssueAsync())
        {
            return Forbid();
        }

        var access = AccessContext.For(User, "staff page: good faith estimate");
        var record = await store.GetAsync(id, access, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        try
        {
            var (estimate, pdf) = document.Issue(id, VerificationJson.ReadPayload(record.PayloadJson), access.Actor);
            await estimates.AddAsync(estimate, pdf, access, cancellationToken);
            return Redirect($"/staff/good-faith-estimates/{estimate.Id}");
        }
        catch (Exception ex) when (ex is PdfFontsMissingException or ProviderNotConfiguredException)
        {
            logger.LogError("A Good Faith Estimate could not be written: {Reason}", ex.Message);
            return new ContentResult { StatusCode = StatusCodes.Status503ServiceUnavailable, Content = ex.Message, ContentType = "text/plain; charset=utf-8" };
        }
    }

    /// <summary>Records the patient's revocation of the consent this verification carries (admissions).</summary>
    public async Task<IActionResult> OnPostRevokeConsentAsync(Guid id, string? revokeMethod, string? revokeReason, CancellationToken cancellationToken)
    {
        if (!await MayIssueAsync())
        {
            return Forbid();
        }

        var access = AccessContext.For(User, "staff page: revoke consent");
        var record = await store.GetAsync(id, access, cancellationToken);
        if (record?.ConsentId is not { } consentId)
        {
            return NotFound();
        }

        var errors = new FieldErrors();
        if (ConsentsApi.Validate(new RevocationRequest(revokeMethod, revokeReason), errors) is not { } revocation)
        {
            return BadRequest();
        }

        await consents.RevokeAsync(consentId, revocation, access, cancellationToken);
        return Redirect($"/staff/verifications/{id}#consent");
    }

    /// <summary>"Complete by phone": the same rules as the API; the estimate is made again with what the call gave.</summary>
    public async Task<IActionResult> OnPostCompleteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await MayIssueAsync())
        {
            return Forbid();
        }

        var access = AccessContext.For(User, "staff page: complete by phone");
        var current = await verifications.GetAsync(id, User, "staff page: complete by phone", cancellationToken);
        if (current is null)
        {
            return NotFound();
        }

        var errors = new FieldErrors();
        var request = Completion.ToRequest(current.Response.Network == "out", time, errors);
        var rules = new FieldErrors();
        var completion = CompletionValidation.Validate(request, access.Actor, timeProvider.GetUtcNow(), rules);
        errors.AddRuleErrors(rules);
        if (completion is null || !errors.IsEmpty)
        {
            View = current;
            CompletionErrors = errors.ToDictionary();
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var (outcome, _) = await completions.CompleteAsync(id, completion, access, cancellationToken);
        if (outcome == CompletionOutcome.NotFound)
        {
            return NotFound();
        }

        RetryMessage = outcome switch
        {
            CompletionOutcome.Completed => "Saved. The coverage and the estimate now include what the call gave.",
            CompletionOutcome.Conflict => "The verification changed meanwhile: nothing was saved. Enter the call again.",
            _ => "Nothing to complete: the payer gave no coverage to complete.",
        };
        return Redirect($"/staff/verifications/{id}#estimate");
    }

    /// <summary>Records the payer's authorisation (admissions) and shows the estimate split by it.</summary>
    public async Task<IActionResult> OnPostAuthorizationAsync(Guid id, AuthorizationForm form, CancellationToken cancellationToken)
    {
        if (!await MayIssueAsync())
        {
            return Forbid();
        }

        var errors = new FieldErrors();
        var request = form.ToRequest(errors);
        var rules = new FieldErrors();
        var checkedAuthorization = AuthorizationValidation.Validate(request, rules);
        errors.AddRuleErrors(rules);
        if (checkedAuthorization is not null && errors.IsEmpty)
        {
            var recorded = await authorizationRecorder.RecordAsync(id, checkedAuthorization, AccessContext.For(User, "staff page: record authorisation"), cancellationToken);
            return recorded is null ? NotFound() : Redirect($"/staff/verifications/{id}#authorization");
        }

        var result = await OnGetAsync(id, cancellationToken);
        AuthorizationErrors = errors.ToDictionary();
        PostedAuthorization = form;
        return result;
    }

    /// <summary>"Retry now": a queued verification is asked at once; one that needs review gets one more round.</summary>
    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await MayIssueAsync())
        {
            return Forbid();
        }

        var outcome = await queue.RetryNowAsync(id, AccessContext.For(User, "staff page: verification result"), cancellationToken);
        if (outcome == RetryNowOutcome.NotFound)
        {
            return NotFound();
        }

        if (outcome == RetryNowOutcome.Queued)
        {
            signal.Notify();
        }

        RetryMessage = outcome switch
        {
            RetryNowOutcome.Queued => "Asking the payer again now. This page updates itself when it answers.",
            RetryNowOutcome.NoConsent => "Not retried: there is no valid consent. Record the patient's consent and verify again.",
            _ => "Nothing to retry: this verification is not waiting for the payer.",
        };
        return Redirect($"/staff/verifications/{id}");
    }

    private async Task<bool> MayIssueAsync() => (await authorization.AuthorizeAsync(User, Policies.VerificationsWrite)).Succeeded;
}

/// <summary>The result page's authorisation form (names prefixed so they never meet the page's other forms).</summary>
internal sealed class AuthorizationForm
{
    public string? AuthNumber { get; set; }
    public string? AuthStatus { get; set; }
    public string? AuthDays { get; set; }
    public string? AuthEffectiveDate { get; set; }
    public string? AuthExpirationDate { get; set; }
    public string? AuthNextReviewDate { get; set; }
    public string? ReviewerName { get; set; }
    public string? ReviewerPhone { get; set; }

    /// <summary>The request the API would take; what cannot be read is named in <paramref name="errors"/> by its API field.</summary>
    public AuthorizationRequest ToRequest(FieldErrors errors) => new(
        AuthNumber,
        AuthStatus,
        string.IsNullOrWhiteSpace(AuthDays) ? null : int.TryParse(AuthDays, NumberStyles.None, CultureInfo.InvariantCulture, out var days) ? days : Bad<int>("days", "A whole number of sessions.", errors),
        Date(AuthEffectiveDate, "effectiveDate", errors),
        Date(AuthExpirationDate, "expirationDate", errors),
        Date(AuthNextReviewDate, "nextReviewDate", errors),
        string.IsNullOrWhiteSpace(ReviewerName) && string.IsNullOrWhiteSpace(ReviewerPhone) ? null : new ReviewerInfo(ReviewerName, ReviewerPhone));

    private static DateOnly? Date(string? text, string field, FieldErrors errors) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date
        : Bad<DateOnly>(field, "A date.", errors);

    private static T? Bad<T>(string field, string message, FieldErrors errors)
        where T : struct
    {
        errors.Add(field, message);
        return null;
    }
}
