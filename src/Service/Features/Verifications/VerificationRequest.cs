using System.Globalization;
using System.Text.Json;
using CoverageCheck.Service.Features.Estimates;

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

    /// <summary>Reads and validates a request; on failure, the errors name every bad field by its wire path.</summary>
    public static async Task<(VerificationPayload? Payload, Dictionary<string, string[]> Errors)> ReadAsync(
        Stream body, DateOnly today, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            return (null, new() { ["$"] = [$"The body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1})."] });
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, new() { ["$"] = ["A JSON object is required."] });
            }

            // Every field of the wrong JSON type is named (a deserializer would stop at the first), then the rules run
            // on what could be read; a field that could not be read is not also reported as missing.
            var wire = new WireErrors();
            var request = Read(document.RootElement, wire);
            var rules = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            var payload = request.Validate(today, rules);
            wire.AddDomainErrors(rules.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
            return (wire.IsEmpty ? payload : null, wire.ToDictionary());
        }
    }

    private static VerificationRequest Read(JsonElement root, WireErrors errors)
    {
        var patient = Lenient.Object(root, "patient", errors);
        var insurance = Lenient.Object(root, "insurance", errors);
        var consent = Lenient.Object(root, "consent", errors);
        var program = Lenient.Object(root, "program", errors);
        var pricing = Lenient.Object(root, "pricing", errors);
        return new VerificationRequest
        {
            Patient = patient is { } p
                ? new PatientDto
                {
                    FirstName = Lenient.Text(p, "patient", "firstName", errors),
                    LastName = Lenient.Text(p, "patient", "lastName", errors),
                    DateOfBirth = Lenient.Text(p, "patient", "dateOfBirth", errors),
                }
                : null,
            Insurance = insurance is { } i
                ? new InsuranceDto
                {
                    PayerId = Lenient.Text(i, "insurance", "payerId", errors),
                    MemberId = Lenient.Text(i, "insurance", "memberId", errors),
                    GroupNumber = Lenient.Text(i, "insurance", "groupNumber", errors),
                }
                : null,
            DateOfService = Lenient.Text(root, "", "dateOfService", errors),
            Consent = consent is { } c
                ? new ConsentDto { Obtained = Lenient.Flag(c, "consent", "obtained", errors), Method = Lenient.Text(c, "consent", "method", errors) }
                : null,
            Program = program is { } g
                ? new ProgramDto
                {
                    StartDate = Lenient.Text(g, "program", "startDate", errors),
                    Weeks = Lenient.Number(g, "program", "weeks", errors, static (JsonElement e, out int v) => e.TryGetInt32(out v), int.TryParse, "Must be a whole number."),
                    DaysPerWeek = Lenient.Number(g, "program", "daysPerWeek", errors, static (JsonElement e, out int v) => e.TryGetInt32(out v), int.TryParse, "Must be a whole number."),
                }
                : null,
            Pricing = pricing is { } m
                ? new PricingDto
                {
                    ChargePerDay = Money(m, "chargePerDay", errors),
                    AllowedPerDay = Money(m, "allowedPerDay", errors),
                    SelfPayPerDay = Money(m, "selfPayPerDay", errors),
                    SelfPayPackagePrice = Money(m, "selfPayPackagePrice", errors),
                }
                : null,
        };

        static decimal? Money(JsonElement pricing, string name, WireErrors errors) =>
            Lenient.Number(pricing, "pricing", name, errors, static (JsonElement e, out decimal v) => e.TryGetDecimal(out v), decimal.TryParse, "Must be a number, such as 650.00.");
    }

    /// <summary>
    /// Reads members as the API always has: names case-insensitively, numbers also from strings (the staff form
    /// sends text), <see langword="null"/> as absent; a member of the wrong JSON type is named and read as absent.
    /// </summary>
    private static class Lenient
    {
        public delegate bool JsonNumber<T>(JsonElement element, out T value);

        public delegate bool TextNumber<T>(string text, NumberStyles styles, IFormatProvider provider, out T value);

        public static JsonElement? Object(JsonElement parent, string name, WireErrors errors)
        {
            if (Find(parent, name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Object)
            {
                return value;
            }

            errors.Add(name, "Must be a JSON object.");
            return null;
        }

        public static string? Text(JsonElement parent, string path, string name, WireErrors errors)
        {
            if (Find(parent, name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }

            errors.Add(Field(path, name), "Must be a string.");
            return null;
        }

        public static bool? Flag(JsonElement parent, string path, string name, WireErrors errors)
        {
            if (Find(parent, name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return value.GetBoolean();
            }

            errors.Add(Field(path, name), "Must be true or false.");
            return null;
        }

        public static T? Number<T>(
            JsonElement parent, string path, string name, WireErrors errors, JsonNumber<T> fromJson, TextNumber<T> fromText, string message)
            where T : struct
        {
            if (Find(parent, name) is not { } value)
            {
                return null;
            }

            if (value.ValueKind == JsonValueKind.Number && fromJson(value, out var number))
            {
                return number;
            }

            if (value.ValueKind == JsonValueKind.String
                && fromText(value.GetString()!.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }

            errors.Add(Field(path, name), message);
            return null;
        }

        private static string Field(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

        private static JsonElement? Find(JsonElement parent, string name)
        {
            foreach (var member in parent.EnumerateObject())
            {
                if (member.NameEquals(name) || string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return member.Value.ValueKind == JsonValueKind.Null ? null : member.Value;
                }
            }

            return null;
        }
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
}
