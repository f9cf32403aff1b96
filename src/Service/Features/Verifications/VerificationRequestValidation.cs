using System.Globalization;
using CoverageCheck.Clients;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// The verification request's rules over the record the serializer (or the staff form) built. Pure: today comes
/// from the caller's clock. Messages name the field and the rule, never the value (it is protected health information).
/// </summary>
internal static class VerificationRequestValidation
{
    public const int FirstNameMax = 35;
    public const int LastNameMax = 60;
    public const int ConsentMethodMax = 32;

    /// <summary>The payload to submit, or null with every broken rule in <paramref name="errors"/>.</summary>
    public static VerificationPayload? Validate(VerificationRequest request, DateTimeOffset now, FieldErrors errors)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var patient = request.Patient;
        if (patient is null)
        {
            errors.Add("patient", "This field is required.");
        }

        var firstName = RequiredText(patient?.FirstName, "patient.firstName", FirstNameMax, errors);
        var lastName = RequiredText(patient?.LastName, "patient.lastName", LastNameMax, errors);
        var dateOfBirth = patient?.DateOfBirth ?? default;
        if (patient?.DateOfBirth is null)
        {
            errors.Add("patient.dateOfBirth", "This field is required (YYYY-MM-DD).");
        }
        else if (dateOfBirth > today || dateOfBirth.Year < 1900)
        {
            errors.Add("patient.dateOfBirth", "Must be a past date after 1900.");
        }

        var relationship = Relationships.Self;
        if (patient?.RelationshipToSubscriber is { } relationshipText && !string.IsNullOrWhiteSpace(relationshipText) && Relationships.Parse(relationshipText) is null)
        {
            errors.Add("patient.relationshipToSubscriber", "One of self, spouse, child, other.");
        }
        else
        {
            relationship = Relationships.Parse(patient?.RelationshipToSubscriber) ?? Relationships.Self;
        }

        // The plan holder: required for a dependent, ignored for the subscriber themself (a form may send blanks).
        SubscriberInfo? subscriber = null;
        if (Relationships.IsDependent(relationship))
        {
            var holder = request.Subscriber;
            if (holder is null)
            {
                errors.Add("subscriber", "This field is required when the patient is not the subscriber (patient.relationshipToSubscriber).");
            }

            var subscriberFirst = RequiredText(holder?.FirstName, "subscriber.firstName", FirstNameMax, errors);
            var subscriberLast = RequiredText(holder?.LastName, "subscriber.lastName", LastNameMax, errors);
            var subscriberBirth = holder?.DateOfBirth ?? default;
            if (holder?.DateOfBirth is null)
            {
                errors.Add("subscriber.dateOfBirth", "This field is required (YYYY-MM-DD).");
            }
            else if (subscriberBirth > today || subscriberBirth.Year < 1900)
            {
                errors.Add("subscriber.dateOfBirth", "Must be a past date after 1900.");
            }

            subscriber = new SubscriberInfo(subscriberFirst, subscriberLast, subscriberBirth);
        }

        var insurance = request.Insurance;
        if (insurance is null)
        {
            errors.Add("insurance", "This field is required.");
        }

        var payerId = RequiredText(insurance?.PayerId, "insurance.payerId", 80, errors);
        var memberId = RequiredText(insurance?.MemberId, "insurance.memberId", 80, errors);
        if (memberId.Length > 0 && !memberId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ' '))
        {
            errors.Add("insurance.memberId", "Letters, digits, spaces and hyphens only, as on the card.");
        }

        var memberIdBelongsTo = MemberIdOwners.Parse(insurance?.MemberIdBelongsTo);
        if (insurance?.MemberIdBelongsTo is { } owner && !string.IsNullOrWhiteSpace(owner) && memberIdBelongsTo is null)
        {
            errors.Add("insurance.memberIdBelongsTo", "One of subscriber, patient.");
        }

        var groupNumber = string.IsNullOrWhiteSpace(insurance?.GroupNumber) ? null : insurance.GroupNumber.Trim();
        if (groupNumber is { Length: > 50 })
        {
            errors.Add("insurance.groupNumber", "At most 50 characters.");
        }

        var dateOfService = request.DateOfService ?? today;
        if (Math.Abs(dateOfService.DayNumber - today.DayNumber) > 366)
        {
            errors.Add("dateOfService", "Must be within a year of today.");
        }

        var consent = request.Consent;
        if (consent?.Obtained != true)
        {
            errors.Add("consent.obtained", "Consent must be obtained before asking a payer: an eligibility check tells the payer that the person seeks addiction treatment (42 CFR Part 2).");
        }

        if (consent is not null && !ConsentMethods.IsKnown(consent.Method))
        {
            errors.Add("consent.method", "How consent was given: one of verbal, written, electronic.");
        }

        if (consent?.GivenBy is { } givenBy && !ConsentGivers.IsKnown(givenBy))
        {
            errors.Add("consent.givenBy", "Who gave consent: patient or representative.");
        }

        var givenAt = consent?.GivenAt ?? now;
        if (givenAt > now + ConsentTerms.ClockSkew)
        {
            errors.Add("consent.givenAt", "Must not be later than now.");
        }

        if (consent?.TextVersion is { Length: > 32 })
        {
            errors.Add("consent.textVersion", "At most 32 characters.");
        }

        ProgramInfo? program = null;
        if (request.Program is { } planned)
        {
            if (planned.StartDate is null)
            {
                errors.Add("program.startDate", "This field is required (YYYY-MM-DD).");
            }
            else if (Math.Abs(planned.StartDate.Value.DayNumber - today.DayNumber) > 2 * 366)
            {
                // Also keeps the program's end (and every date the estimate walks) far inside the calendar.
                errors.Add("program.startDate", "Must be within two years of today.");
            }

            if (planned.Weeks is not (>= 1 and <= 52))
            {
                errors.Add("program.weeks", "Must be a whole number from 1 to 52.");
            }

            if (planned.DaysPerWeek is not (>= 1 and <= 7))
            {
                errors.Add("program.daysPerWeek", "Must be a whole number from 1 to 7.");
            }

            program = new ProgramInfo(planned.StartDate ?? default, planned.Weeks ?? 0, planned.DaysPerWeek ?? 0);
        }

        PricingInfo? pricing = null;
        if (request.Pricing is { } given)
        {
            NonNegative(given.ChargePerDay, "pricing.chargePerDay", errors);
            NonNegative(given.AllowedPerDay, "pricing.allowedPerDay", errors);
            NonNegative(given.SelfPayPerDay, "pricing.selfPayPerDay", errors);
            NonNegative(given.SelfPayPackagePrice, "pricing.selfPayPackagePrice", errors);
            pricing = new PricingInfo(given.ChargePerDay, given.AllowedPerDay, given.SelfPayPerDay, given.SelfPayPackagePrice);
        }

        // Checked once the program is known: the default expiry follows it.
        var expiresAt = consent?.ExpiresAt ?? ConsentTerms.DefaultExpiry(givenAt, errors.Has("program.startDate") || errors.Has("program.weeks") ? null : program);
        if (consent?.ExpiresAt is not null && expiresAt <= givenAt)
        {
            errors.Add("consent.expiresAt", "Must be later than when consent was given.");
        }
        else if (expiresAt <= now && !errors.Has("consent.givenAt"))
        {
            errors.Add(consent?.ExpiresAt is null ? "consent.givenAt" : "consent.expiresAt", "The consent has expired: obtain a new one before asking the payer.");
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        return new VerificationPayload(
            new PatientInfo(firstName, lastName, dateOfBirth) { RelationshipToSubscriber = relationship },
            new InsuranceInfo(payerId, memberId, groupNumber) { MemberIdBelongsTo = subscriber is null ? null : memberIdBelongsTo },
            dateOfService,
            new ConsentInfo(true, consent!.Method)
            {
                GivenBy = consent.GivenBy ?? ConsentGivers.Patient,
                GivenAt = givenAt,
                ExpiresAt = expiresAt,
                TextVersion = string.IsNullOrWhiteSpace(consent.TextVersion) ? null : consent.TextVersion.Trim(),
            },
            program,
            pricing)
        {
            Subscriber = subscriber,
            Corrects = request.CorrectsVerificationId,
            PatientRef = PatientRef(request.PatientRef, errors),
        };
    }

    /// <summary>The longest patient control number an 835 carries (CLP01, 1–38 characters).</summary>
    internal const int MaxPatientRefLength = 38;

    private static string? PatientRef(string? value, FieldErrors errors)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.Length > MaxPatientRefLength || text.Any(char.IsControl) || text.IndexOfAny(['*', '~', ':', '^']) >= 0)
        {
            errors.Add("patientRef", $"At most {MaxPatientRefLength} characters, without line breaks or the X12 separators * ~ : ^.");
            return null;
        }

        return text;
    }

    private static string RequiredText(string? value, string field, int maxLength, FieldErrors errors)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0)
        {
            errors.Add(field, "This field is required.");
        }
        else if (text.Length > maxLength)
        {
            errors.Add(field, string.Create(CultureInfo.InvariantCulture, $"At most {maxLength} characters."));
        }

        return text;
    }

    private static void NonNegative(decimal? value, string field, FieldErrors errors)
    {
        if (value < 0)
        {
            errors.Add(field, "Must not be negative.");
        }
    }
}
