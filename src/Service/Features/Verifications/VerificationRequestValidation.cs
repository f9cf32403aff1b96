using System.Globalization;
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
    public static VerificationPayload? Validate(VerificationRequest request, DateOnly today, FieldErrors errors)
    {
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

        if (request.Consent?.Obtained != true)
        {
            errors.Add("consent.obtained", "Consent must be obtained before asking a payer: an eligibility check tells the payer that the person seeks addiction treatment (42 CFR Part 2).");
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

        // Every free-text field has a limit (the body's 16 KB cap alone would let one field hold it all).
        if (request.Consent?.Method is { Length: > ConsentMethodMax })
        {
            errors.Add("consent.method", string.Create(CultureInfo.InvariantCulture, $"At most {ConsentMethodMax} characters."));
        }

        if (!errors.IsEmpty)
        {
            return null;
        }

        return new VerificationPayload(
            new PatientInfo(firstName, lastName, dateOfBirth),
            new InsuranceInfo(payerId, memberId, groupNumber),
            dateOfService,
            new ConsentInfo(true, request.Consent?.Method),
            program,
            pricing);
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
