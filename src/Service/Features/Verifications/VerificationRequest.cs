using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// The wire body of <c>POST /api/v1/verifications</c>, read leniently (dates and numbers as the caller sent them) so
/// that every bad field can be named in one RFC 9457 answer instead of failing on the first.
/// </summary>
internal sealed class VerificationRequest
{
    public PatientDto? Patient { get; set; }
    public InsuranceDto? Insurance { get; set; }
    public string? DateOfService { get; set; }
    public ConsentDto? Consent { get; set; }
    public ProgramDto? Program { get; set; }
    public PricingDto? Pricing { get; set; }

    internal sealed class PatientDto
    {
        public string? FirstName { get; set; }
        public string? LastName { get; set; }
        public string? DateOfBirth { get; set; }
    }

    internal sealed class InsuranceDto
    {
        public string? PayerId { get; set; }
        public string? MemberId { get; set; }
        public string? GroupNumber { get; set; }
    }

    internal sealed class ConsentDto
    {
        public bool? Obtained { get; set; }
        public string? Method { get; set; }
    }

    internal sealed class ProgramDto
    {
        public string? StartDate { get; set; }
        public int? Weeks { get; set; }
        public int? DaysPerWeek { get; set; }
    }

    internal sealed class PricingDto
    {
        public decimal? ChargePerDay { get; set; }
        public decimal? AllowedPerDay { get; set; }
        public decimal? SelfPayPerDay { get; set; }
        public decimal? SelfPayPackagePrice { get; set; }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    /// <summary>Reads and validates a request; on failure, the errors name every bad field by its wire path.</summary>
    public static async Task<(VerificationPayload? Payload, Dictionary<string, string[]> Errors)> ReadAsync(
        Stream body, DateOnly today, CancellationToken cancellationToken)
    {
        VerificationRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync<VerificationRequest>(body, JsonOptions, cancellationToken);
        }
        catch (JsonException e)
        {
            var path = WirePath(e.Path);
            return (null, new() { [path] = [$"This is not a valid value here ({Trim(e.Message)})."] });
        }

        if (request is null)
        {
            return (null, new() { ["$"] = ["A JSON object is required."] });
        }

        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var payload = request.Validate(today, errors);
        return (errors.Count == 0 ? payload : null, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
    }

    private VerificationPayload? Validate(DateOnly today, Dictionary<string, List<string>> errors)
    {
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        string RequiredText(string? value, string field, int maxLength)
        {
            var text = value?.Trim() ?? "";
            if (text.Length == 0)
            {
                Add(field, "This field is required.");
            }
            else if (text.Length > maxLength)
            {
                Add(field, $"At most {maxLength} characters.");
            }

            return text;
        }

        DateOnly Date(string? value, string field, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required)
                {
                    Add(field, "This field is required (YYYY-MM-DD).");
                }

                return default;
            }

            if (!DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Add(field, $"'{(value.Length > 20 ? value[..20] : value)}' is not a date (YYYY-MM-DD).");
            }

            return date;
        }

        void NonNegative(decimal? value, string field)
        {
            if (value < 0)
            {
                Add(field, "Must not be negative.");
            }
        }

        if (Patient is null)
        {
            Add("patient", "This field is required.");
        }

        var firstName = RequiredText(Patient?.FirstName, "patient.firstName", 35);
        var lastName = RequiredText(Patient?.LastName, "patient.lastName", 60);
        var dateOfBirth = Date(Patient?.DateOfBirth, "patient.dateOfBirth", required: true);
        if (dateOfBirth != default && (dateOfBirth > today || dateOfBirth.Year < 1900))
        {
            Add("patient.dateOfBirth", "Must be a past date after 1900.");
        }

        if (Insurance is null)
        {
            Add("insurance", "This field is required.");
        }

        var payerId = RequiredText(Insurance?.PayerId, "insurance.payerId", 80);
        var memberId = RequiredText(Insurance?.MemberId, "insurance.memberId", 80);
        if (memberId.Length > 0 && !memberId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or ' '))
        {
            Add("insurance.memberId", "Letters, digits, spaces and hyphens only, as on the card.");
        }

        var groupNumber = string.IsNullOrWhiteSpace(Insurance?.GroupNumber) ? null : Insurance.GroupNumber.Trim();
        if (groupNumber is { Length: > 50 })
        {
            Add("insurance.groupNumber", "At most 50 characters.");
        }

        var dateOfService = Date(DateOfService, "dateOfService", required: false);
        if (dateOfService == default)
        {
            dateOfService = today;
        }
        else if (Math.Abs(dateOfService.DayNumber - today.DayNumber) > 366)
        {
            Add("dateOfService", "Must be within a year of today.");
        }

        if (Consent?.Obtained != true)
        {
            Add("consent.obtained", "Consent must be obtained before asking a payer: an eligibility check tells the payer that the person seeks addiction treatment (42 CFR Part 2).");
        }

        ProgramInfo? program = null;
        if (Program is not null)
        {
            var start = Date(Program.StartDate, "program.startDate", required: true);
            if (Program.Weeks is not (>= 1 and <= 52))
            {
                Add("program.weeks", "Must be a whole number from 1 to 52.");
            }

            if (Program.DaysPerWeek is not (>= 1 and <= 7))
            {
                Add("program.daysPerWeek", "Must be a whole number from 1 to 7.");
            }

            program = new ProgramInfo(start, Program.Weeks ?? 0, Program.DaysPerWeek ?? 0);
        }

        PricingInfo? pricing = null;
        if (Pricing is not null)
        {
            NonNegative(Pricing.ChargePerDay, "pricing.chargePerDay");
            NonNegative(Pricing.AllowedPerDay, "pricing.allowedPerDay");
            NonNegative(Pricing.SelfPayPerDay, "pricing.selfPayPerDay");
            NonNegative(Pricing.SelfPayPackagePrice, "pricing.selfPayPackagePrice");
            pricing = new PricingInfo(Pricing.ChargePerDay, Pricing.AllowedPerDay, Pricing.SelfPayPerDay, Pricing.SelfPayPackagePrice);
        }

        return new VerificationPayload(
            new PatientInfo(firstName, lastName, dateOfBirth),
            new InsuranceInfo(payerId, memberId, groupNumber),
            dateOfService,
            new ConsentInfo(Consent?.Obtained == true, Consent?.Method),
            program,
            pricing);
    }

    private static string WirePath(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? "$" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath;

    // JsonException messages end with the path and position; the field name already says where.
    private static string Trim(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
