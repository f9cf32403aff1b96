using CoverageCheck.Clients;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>
/// The pure check of a web request: every bad field named, no value ever echoed (it is all PHI). A valid request
/// becomes the <see cref="IntakePayload"/> stored.
/// </summary>
internal static class IntakeValidation
{
    public static IntakePayload? Validate(IntakeRequest request, PayerDirectory payers, DateOnly today, DateTimeOffset now, FieldErrors errors)
    {
        var first = Name(request.Patient?.FirstName, "patient.firstName", errors);
        var last = Name(request.Patient?.LastName, "patient.lastName", errors);
        var dob = BirthDate(request.Patient?.DateOfBirth, "patient.dateOfBirth", today, errors);

        var relationship = request.Patient?.RelationshipToSubscriber?.Trim().ToLowerInvariant() ?? Relationships.Self;
        if (!Relationships.All.Contains(relationship))
        {
            errors.Add("patient.relationshipToSubscriber", "Use self, spouse, child or other.");
        }

        SubscriberInfo? subscriber = null;
        if (relationship != Relationships.Self)
        {
            if (request.Subscriber is null)
            {
                errors.Add("subscriber", "Give the plan holder's name and date of birth when you are not the plan holder.");
            }
            else
            {
                var subFirst = Name(request.Subscriber.FirstName, "subscriber.firstName", errors);
                var subLast = Name(request.Subscriber.LastName, "subscriber.lastName", errors);
                var subDob = BirthDate(request.Subscriber.DateOfBirth, "subscriber.dateOfBirth", today, errors);
                if (subFirst is not null && subLast is not null && subDob is { } born)
                {
                    subscriber = new SubscriberInfo(subFirst, subLast, born);
                }
            }
        }

        var insurance = request.Insurance;
        string? payerId = null;
        var payerName = "";
        if (insurance is null)
        {
            errors.Add("insurance", "Give your insurer and member ID.");
        }
        else
        {
            if (!string.IsNullOrWhiteSpace(insurance.PayerId))
            {
                if (payers.Find(insurance.PayerId.Trim()) is { } payer)
                {
                    payerId = payer.Id;
                    payerName = payer.Name;
                }
                else
                {
                    errors.Add("insurance.payerId", "Choose an insurer from the list, or type its name.");
                }
            }
            else if (string.IsNullOrWhiteSpace(insurance.PayerName))
            {
                errors.Add("insurance.payerName", "Choose your insurer from the list, or type its name.");
            }
            else if (insurance.PayerName.Trim().Length > 100)
            {
                errors.Add("insurance.payerName", "Use at most 100 characters.");
            }
            else if (payers.All.FirstOrDefault(p => string.Equals(p.Name, insurance.PayerName.Trim(), StringComparison.OrdinalIgnoreCase)) is { } named)
            {
                // The name of a payer we list, typed rather than chosen: that payer.
                payerId = named.Id;
                payerName = named.Name;
            }
            else
            {
                payerName = insurance.PayerName.Trim();
            }

            if (string.IsNullOrWhiteSpace(insurance.MemberId))
            {
                errors.Add("insurance.memberId", "Give the member ID on your insurance card.");
            }
            else if (insurance.MemberId.Trim().Length > 30 || !insurance.MemberId.Trim().All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ' '))
            {
                errors.Add("insurance.memberId", "Use the member ID as printed on the card: letters, digits and dashes, at most 30.");
            }

            if (insurance.GroupNumber is { Length: > 30 })
            {
                errors.Add("insurance.groupNumber", "Use at most 30 characters.");
            }
        }

        var contact = request.Contact;
        var phone = "";
        if (contact is null)
        {
            errors.Add("contact", "Give a phone number we can call you on.");
        }
        else
        {
            phone = Phone(contact.Phone) ?? "";
            if (phone.Length == 0)
            {
                errors.Add("contact.phone", "Give a 10-digit US phone number.");
            }

            if (contact.Email is { Length: > 0 } email && (email.Length > 254 || email.IndexOf('@', StringComparison.Ordinal) is < 1 || email.Contains(' ', StringComparison.Ordinal)))
            {
                errors.Add("contact.email", "Give an email address such as name@example.org, or leave it empty.");
            }

            if (contact.BestTime is { Length: > 100 })
            {
                errors.Add("contact.bestTime", "Use at most 100 characters.");
            }

            if (contact.MayLeaveMessage is null)
            {
                errors.Add("contact.mayLeaveMessage", "Say whether we may leave a message.");
            }
        }

        var consent = request.Consent;
        if (consent is null)
        {
            errors.Add("consent", "Read the consent and sign it with your full name.");
        }
        else
        {
            if (!string.Equals(consent.Version, IntakeConsentText.Version, StringComparison.Ordinal))
            {
                errors.Add("consent.version", "The consent text has changed: reload the page and read it again.");
            }

            if (string.IsNullOrWhiteSpace(consent.Signature) || consent.Signature.Trim().Length < 3)
            {
                errors.Add("consent.signature", "Type your full name to sign the consent.");
            }
            else if (consent.Signature.Trim().Length > 120)
            {
                errors.Add("consent.signature", "Use at most 120 characters.");
            }
        }

        if (string.IsNullOrWhiteSpace(request.Form?.Token))
        {
            errors.Add("form.token", "The form is incomplete: reload the page and try again.");
        }

        if (!errors.IsEmpty || first is null || last is null || dob is null || insurance is null || contact is null || consent is null)
        {
            return null;
        }

        return new IntakePayload(
            new PatientInfo(first, last, dob.Value) { RelationshipToSubscriber = relationship },
            subscriber,
            payerId,
            payerName,
            insurance.MemberId!.Trim().ToUpperInvariant(),
            string.IsNullOrWhiteSpace(insurance.GroupNumber) ? null : insurance.GroupNumber.Trim(),
            phone,
            string.IsNullOrWhiteSpace(contact.Email) ? null : contact.Email.Trim(),
            string.IsNullOrWhiteSpace(contact.BestTime) ? null : contact.BestTime.Trim(),
            contact.MayLeaveMessage!.Value,
            consent.Version!,
            consent.Signature!.Trim(),
            now);
    }

    /// <summary>Ten digits (a leading US 1 dropped), or null.</summary>
    public static string? Phone(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 30)
        {
            return null;
        }

        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        if (digits.Length == 11 && digits[0] == '1')
        {
            digits = digits[1..];
        }

        return digits.Length == 10 && text.All(c => char.IsAsciiDigit(c) || c is ' ' or '-' or '(' or ')' or '.' or '+') ? digits : null;
    }

    /// <summary>(555) 123-4567.</summary>
    public static string FormatPhone(string digits) =>
        digits.Length == 10 ? $"({digits[..3]}) {digits[3..6]}-{digits[6..]}" : digits;

    private static string? Name(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(field, "Required.");
            return null;
        }

        var trimmed = value.Trim();
        if (trimmed.Length > 60 || trimmed.Any(char.IsControl))
        {
            errors.Add(field, "Use at most 60 characters.");
            return null;
        }

        return trimmed;
    }

    private static DateOnly? BirthDate(DateOnly? value, string field, DateOnly today, FieldErrors errors)
    {
        if (value is not { } date)
        {
            errors.Add(field, "Required, as YYYY-MM-DD.");
            return null;
        }

        if (date > today || date < today.AddYears(-120))
        {
            errors.Add(field, "Give a date of birth in the past 120 years.");
            return null;
        }

        return date;
    }
}
