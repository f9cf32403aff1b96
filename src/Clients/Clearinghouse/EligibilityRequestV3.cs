using System.Globalization;
using System.Text.Json.Serialization;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// The body of <c>POST {base}/medicalnetwork/eligibility/v3</c>: the Change Healthcare / Optum "Medical Network
/// Eligibility v3" request that Stedi serves unchanged. Field names and order are the wire contract. It carries
/// protected health information: never log it.
/// </summary>
public sealed record EligibilityRequestV3(
    [property: JsonPropertyName("controlNumber")] string ControlNumber,
    [property: JsonPropertyName("tradingPartnerServiceId")] string TradingPartnerServiceId,
    [property: JsonPropertyName("provider")] ProviderV3 Provider,
    [property: JsonPropertyName("subscriber")] SubscriberV3 Subscriber,
    [property: JsonPropertyName("encounter")] EncounterV3 Encounter)
{
    private const string X12Date = "yyyyMMdd";

    /// <summary>Loop 2000D: the patient when they are the subscriber's dependent (one only); left out otherwise.</summary>
    [JsonPropertyName("dependents"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DependentV3>? Dependents { get; init; }

    /// <summary>Builds the v3 request for one inquiry, asked by one provider.</summary>
    public static EligibilityRequestV3 From(EligibilityInquiry inquiry, InquiringProvider provider)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        ArgumentNullException.ThrowIfNull(provider);

        return new EligibilityRequestV3(
            inquiry.ControlNumber,
            inquiry.PayerId,
            new ProviderV3(provider.OrganizationName, provider.Npi),
            new SubscriberV3(
                inquiry.MemberId,
                inquiry.FirstName,
                inquiry.LastName,
                inquiry.DateOfBirth.ToString(X12Date, CultureInfo.InvariantCulture),
                string.IsNullOrWhiteSpace(inquiry.GroupNumber) ? null : inquiry.GroupNumber),
            new EncounterV3(
                [inquiry.ServiceTypeCode],
                inquiry.DateOfService.ToString(X12Date, CultureInfo.InvariantCulture)))
        {
            Dependents = inquiry.Dependent is { } dependent
                ? [new DependentV3(dependent.FirstName, dependent.LastName, dependent.DateOfBirth.ToString(X12Date, CultureInfo.InvariantCulture), dependent.IndividualRelationshipCode)]
                : null,
        };
    }

    /// <summary>Never print the person.</summary>
    public override string ToString() =>
        $"EligibilityRequestV3 {{ TradingPartnerServiceId = {TradingPartnerServiceId}, ControlNumber = {ControlNumber} }}";
}

/// <summary>The inquiring provider (loop 2100B): an organisation and its NPI.</summary>
public sealed record ProviderV3(
    [property: JsonPropertyName("organizationName")] string OrganizationName,
    [property: JsonPropertyName("npi")] string Npi);

/// <summary>The subscriber (loop 2100C). <c>dateOfBirth</c> is <c>YYYYMMDD</c>; <c>groupNumber</c> is left out when unknown.</summary>
public sealed record SubscriberV3(
    [property: JsonPropertyName("memberId")] string MemberId,
    [property: JsonPropertyName("firstName")] string FirstName,
    [property: JsonPropertyName("lastName")] string LastName,
    [property: JsonPropertyName("dateOfBirth")] string DateOfBirth,
    [property: JsonPropertyName("groupNumber"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? GroupNumber)
{
    /// <summary>Never print the person.</summary>
    public override string ToString() => "SubscriberV3 { (protected health information) }";
}

/// <summary>
/// A dependent (loop 2100D): the patient when they have no member ID of their own. <c>dateOfBirth</c> is <c>YYYYMMDD</c>;
/// <c>individualRelationshipCode</c> is <c>01</c> spouse, <c>19</c> child, <c>34</c> other adult.
/// </summary>
public sealed record DependentV3(
    [property: JsonPropertyName("firstName")] string FirstName,
    [property: JsonPropertyName("lastName")] string LastName,
    [property: JsonPropertyName("dateOfBirth")] string DateOfBirth,
    [property: JsonPropertyName("individualRelationshipCode")] string IndividualRelationshipCode)
{
    /// <summary>Never print the person.</summary>
    public override string ToString() => "DependentV3 { (protected health information) }";
}

/// <summary>The encounter (loop 2110C): one service type code per request, and the date of service as <c>YYYYMMDD</c>.</summary>
public sealed record EncounterV3(
    [property: JsonPropertyName("serviceTypeCodes")] IReadOnlyList<string> ServiceTypeCodes,
    [property: JsonPropertyName("dateOfService")] string DateOfService);

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(EligibilityRequestV3))]
internal sealed partial class ClearinghouseJsonContext : JsonSerializerContext;
