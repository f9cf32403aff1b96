using System.Globalization;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// The "verify coverage today" form. The POST is validated by the same rules as <c>POST /api/v1/verifications</c>,
/// submitted in real time, and answered with a redirect to the result page, addressed by the verification id only:
/// no personal data ever goes into a URL.
/// </summary>
internal sealed class VerifyModel(VerificationIntake intake, VerificationStore store, PayerDirectory payers, ProgramTime programTime, TimeProvider timeProvider) : PageModel
{
    private static readonly Dictionary<string, (string Field, string Label)> s_fields = new(StringComparer.Ordinal)
    {
        ["patient"] = ("firstName", "Patient"),
        ["patient.firstName"] = ("firstName", "First name"),
        ["patient.lastName"] = ("lastName", "Last name"),
        ["patient.dateOfBirth"] = ("dateOfBirth", "Date of birth"),
        ["patient.relationshipToSubscriber"] = ("relationship", "Patient is"),
        ["subscriber"] = ("subscriberFirstName", "Subscriber"),
        ["subscriber.firstName"] = ("subscriberFirstName", "Subscriber's first name"),
        ["subscriber.lastName"] = ("subscriberLastName", "Subscriber's last name"),
        ["subscriber.dateOfBirth"] = ("subscriberDateOfBirth", "Subscriber's date of birth"),
        ["insurance.memberIdBelongsTo"] = ("memberIdBelongsTo", "Whose ID is on the card"),
        ["insurance"] = ("payerId", "Insurance"),
        ["insurance.payerId"] = ("payerId", "Payer"),
        ["insurance.memberId"] = ("memberId", "Member ID"),
        ["insurance.groupNumber"] = ("groupNumber", "Group number"),
        ["dateOfService"] = ("dateOfService", "Date of service"),
        ["consent.obtained"] = ("consent", "Consent"),
        ["consent.method"] = ("consentMethod", "How consent was given"),
        ["consent.givenBy"] = ("consentGivenBy", "Who gave consent"),
        ["consent.givenAt"] = ("consent", "Consent"),
        ["consent.expiresAt"] = ("consent", "Consent"),
        ["program.startDate"] = ("startDate", "Start date"),
        ["program.weeks"] = ("weeks", "Weeks"),
        ["program.daysPerWeek"] = ("daysPerWeek", "Days per week"),
    };

    [BindProperty] public string? FirstName { get; set; }
    [BindProperty] public string? LastName { get; set; }
    [BindProperty] public string? DateOfBirth { get; set; }
    [BindProperty] public string Relationship { get; set; } = "self";
    [BindProperty] public string? SubscriberFirstName { get; set; }
    [BindProperty] public string? SubscriberLastName { get; set; }
    [BindProperty] public string? SubscriberDateOfBirth { get; set; }
    [BindProperty] public string? MemberIdBelongsTo { get; set; }
    [BindProperty] public string? PayerId { get; set; }
    [BindProperty] public string? MemberId { get; set; }
    [BindProperty] public string? GroupNumber { get; set; }
    [BindProperty] public string? DateOfService { get; set; }
    [BindProperty] public string? StartDate { get; set; }
    [BindProperty] public int DaysPerWeek { get; set; } = 5;
    [BindProperty] public int Weeks { get; set; } = 8;
    [BindProperty] public bool Consent { get; set; }
    [BindProperty] public string ConsentMethod { get; set; } = "verbal";
    [BindProperty] public string ConsentGivenBy { get; set; } = "patient";

    /// <summary>The verification being corrected ("edit and verify again"), carried through the form.</summary>
    [BindProperty] public Guid? Corrects { get; set; }

    /// <summary>Errors by form field id.</summary>
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<Payer> Payers => [.. payers.All.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];

    public async Task<IActionResult> OnGetAsync(Guid? from, CancellationToken cancellationToken)
    {
        var today = Today();
        DateOfService = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        StartDate = NextMonday(today).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (from is not { } id)
        {
            return Page();
        }

        // Edit and verify again: the form filled in with what was sent (an audited read); the date of service stays today.
        var record = await store.GetAsync(id, AccessContext.For(User, "staff page: edit and verify again"), cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        var sent = VerificationJson.ReadPayload(record.PayloadJson);
        Corrects = id;
        FirstName = sent.Patient.FirstName;
        LastName = sent.Patient.LastName;
        DateOfBirth = Iso(sent.Patient.DateOfBirth);
        Relationship = sent.Patient.RelationshipToSubscriber ?? "self";
        SubscriberFirstName = sent.Subscriber?.FirstName;
        SubscriberLastName = sent.Subscriber?.LastName;
        SubscriberDateOfBirth = sent.Subscriber is { } holder ? Iso(holder.DateOfBirth) : null;
        MemberIdBelongsTo = sent.Insurance.MemberIdBelongsTo;
        PayerId = sent.Insurance.PayerId;
        MemberId = sent.Insurance.MemberId;
        GroupNumber = sent.Insurance.GroupNumber;
        if (sent.Program is { } program)
        {
            StartDate = Iso(program.StartDate);
            Weeks = program.Weeks;
            DaysPerWeek = program.DaysPerWeek;
        }

        ConsentMethod = sent.Consent.Method ?? "verbal";
        ConsentGivenBy = sent.Consent.GivenBy ?? "patient";
        return Page();
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        // One set of rules for the API and the form: the form builds the API's request record.
        var errors = new FieldErrors();
        // The subscriber's fields count only for a dependent: a form filled in for a child and then switched back to
        // "the subscriber" sends no subscriber at all.
        var dependent = !string.Equals(Relationship, "self", StringComparison.Ordinal);
        var subscriber = dependent
            ? new SubscriberDto(SubscriberFirstName, SubscriberLastName, FormDate(SubscriberDateOfBirth, "subscriber.dateOfBirth", errors))
            : null;
        var request = new VerificationRequest(
            new PatientDto(FirstName, LastName, FormDate(DateOfBirth, "patient.dateOfBirth", errors), Relationship),
            new InsuranceDto(PayerId?.Trim(), MemberId, GroupNumber, dependent && !string.IsNullOrEmpty(MemberIdBelongsTo) ? MemberIdBelongsTo : null),
            FormDate(DateOfService, "dateOfService", errors),
            new ConsentDto(Consent, ConsentMethod, GivenBy: ConsentGivenBy),
            new VerificationProgramDto(FormDate(StartDate, "program.startDate", errors), Weeks, DaysPerWeek),
            null,
            subscriber,
            Corrects);
        var rules = new FieldErrors();
        var payload = VerificationRequestValidation.Validate(request, timeProvider.GetUtcNow(), rules);
        errors.AddRuleErrors(rules);
        if (payload is not null && payers.Find(payload.Insurance.PayerId) is null)
        {
            errors.Add("insurance.payerId", "Choose a payer from the list (the payer ID, such as 60054).");
        }

        if (payload is null || !errors.IsEmpty)
        {
            foreach (var (path, messages) in errors.ToDictionary())
            {
                var field = s_fields.TryGetValue(path, out var known) ? known.Field : "firstName";
                Errors[field] = Errors.TryGetValue(field, out var existing) ? [.. existing, .. messages] : messages;
            }

            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        var submitted = await intake.SubmitAsync(
            payload,
            AccessContext.For(User, "staff page: verify coverage"),
            new SubmitOptions { RealTime = true },
            cancellationToken);
        return Redirect($"/staff/verifications/{submitted.Record.Id}");
    }

    // The field's own label ("Subscriber's first name"), not its group's ("Subscriber").
    public string LabelOf(string field) =>
        s_fields.Where(entry => entry.Value.Field == field).OrderBy(entry => entry.Key.Contains('.') ? 0 : 1).Select(entry => entry.Value.Label).FirstOrDefault() ?? field;

    public string? Invalid(string field) => Errors.ContainsKey(field) ? "true" : null;

    // A date input sends YYYY-MM-DD; anything else is named, never echoed (it may be a date of birth).
    private static DateOnly? FormDate(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        errors.Add(field, "Must be a date as YYYY-MM-DD.");
        return null;
    }

    private DateOnly Today() => programTime.Today;

    private static DateOnly NextMonday(DateOnly day)
    {
        var days = ((int)DayOfWeek.Monday - (int)day.DayOfWeek + 7) % 7;
        return day.AddDays(days == 0 ? 7 : days);
    }
}
