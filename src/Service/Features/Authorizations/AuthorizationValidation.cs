using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Authorizations;

/// <summary>A checked authorisation, ready to store.</summary>
internal sealed record NewAuthorization(string Status, int Days, DateOnly EffectiveDate, DateOnly ExpirationDate, DateOnly? NextReviewDate, AuthorizationSecret Secret);

/// <summary>The rules of an authorisation, each broken one named by field (never echoing the value).</summary>
internal static class AuthorizationValidation
{
    public const int MaxDays = 366;

    public static NewAuthorization? Validate(AuthorizationRequest? request, FieldErrors errors)
    {
        if (request is null)
        {
            errors.Add(FieldErrors.BodyField, "An authorisation is required.");
            return null;
        }

        var number = request.Number?.Trim();
        if (string.IsNullOrEmpty(number) || number.Length > 50)
        {
            errors.Add("number", "The payer's authorisation number: 1 to 50 characters.");
        }

        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is null || !AuthorizationStatuses.All.Contains(status))
        {
            errors.Add("status", $"One of: {string.Join(", ", AuthorizationStatuses.All)}.");
        }

        if (request.Days is not { } days || days < 0 || days > MaxDays)
        {
            errors.Add("days", $"The sessions authorised (for a denial, those asked for): 0 to {MaxDays}.");
        }

        if (request.EffectiveDate is null)
        {
            errors.Add("effectiveDate", "The first day the authorisation covers is required.");
        }

        if (request.ExpirationDate is null)
        {
            errors.Add("expirationDate", "The last day the authorisation covers is required.");
        }
        else if (request.ExpirationDate < request.EffectiveDate)
        {
            errors.Add("expirationDate", "Must not be before effectiveDate.");
        }

        if (request.NextReviewDate < request.EffectiveDate)
        {
            errors.Add("nextReviewDate", "Must not be before effectiveDate.");
        }

        ReviewerInfo? reviewer = null;
        if (request.Reviewer is { } given)
        {
            var name = given.Name?.Trim();
            if (name is { Length: > 100 })
            {
                errors.Add("reviewer.name", "At most 100 characters.");
            }

            var phone = given.Phone?.Trim();
            if (phone is { Length: > 0 } && !IsPhone(phone))
            {
                errors.Add("reviewer.phone", "A phone number: 10 digits (a leading 1, spaces, dashes, dots, brackets and an extension such as x123 are fine).");
            }

            reviewer = string.IsNullOrEmpty(name) && string.IsNullOrEmpty(phone) ? null : new ReviewerInfo(NullIfEmpty(name), NullIfEmpty(phone));
        }

        return errors.IsEmpty
            ? new NewAuthorization(status!, request.Days!.Value, request.EffectiveDate!.Value, request.ExpirationDate!.Value, request.NextReviewDate, new AuthorizationSecret(number!, reviewer))
            : null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool IsPhone(string phone)
    {
        var main = phone;
        var extension = phone.IndexOfAny(['x', 'X']);
        if (extension >= 0)
        {
            if (!phone[(extension + 1)..].Trim().All(char.IsAsciiDigit) || phone[(extension + 1)..].Trim().Length is 0 or > 6)
            {
                return false;
            }

            main = phone[..extension];
        }

        if (main.Any(c => !(char.IsAsciiDigit(c) || c is ' ' or '-' or '.' or '(' or ')' or '+')))
        {
            return false;
        }

        var digits = new string([.. main.Where(char.IsAsciiDigit)]);
        return digits.Length == 10 || (digits.Length == 11 && digits[0] == '1');
    }
}
