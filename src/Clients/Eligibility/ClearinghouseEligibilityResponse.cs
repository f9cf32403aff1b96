using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Clients.Eligibility;

// DTOs of the clearinghouse "medicalnetwork/eligibility/v3" response (Change Healthcare / Optum, served unchanged by
// Stedi). Every scalar is a string (amounts, percents and dates arrive as text and are parsed by the normaliser with
// the invariant culture); every list and nested object is read leniently; unknown fields land in ExtensionData.
// Read them with ClearinghouseJson.Options (or ClearinghouseJson.TryDeserialize), which never throws on odd values.

/// <summary>The clearinghouse's answer to one eligibility inquiry.</summary>
public sealed class ClearinghouseEligibilityResponse
{
    /// <summary>Nine-digit control number of the inquiry (ISA13).</summary>
    public string? ControlNumber { get; init; }

    /// <summary>Echo of the control number.</summary>
    public string? ReassociationKey { get; init; }

    /// <summary>The payer ID asked.</summary>
    public string? TradingPartnerServiceId { get; init; }

    /// <summary>Stedi's ID of the check (<c>ec_…</c>).</summary>
    public string? Id { get; init; }

    /// <summary>Processing status, when sent.</summary>
    public string? Status { get; init; }

    /// <summary>Loop 2100A: the payer.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghousePayer>))]
    public ClearinghousePayer? Payer { get; init; }

    /// <summary>Loop 2100B: the provider as the payer saw it.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghouseProvider>))]
    public ClearinghouseProvider? Provider { get; init; }

    /// <summary>Loop 2100C: the subscriber. PHI.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghouseMember>))]
    public ClearinghouseMember? Subscriber { get; init; }

    /// <summary>Loop 2100D: dependents. PHI.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseMember>))]
    public IReadOnlyList<ClearinghouseMember>? Dependents { get; init; }

    /// <summary>Plan identifiers (REF in 2100C/D).</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghousePlanInformation>))]
    public ClearinghousePlanInformation? PlanInformation { get; init; }

    /// <summary>Plan and eligibility dates (DTP in 2100C/D).</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghousePlanDateInformation>))]
    public ClearinghousePlanDateInformation? PlanDateInformation { get; init; }

    /// <summary>Deprecated summary of status rows; <see cref="BenefitsInformation"/> carries the same.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghousePlanStatus>))]
    public IReadOnlyList<ClearinghousePlanStatus>? PlanStatus { get; init; }

    /// <summary>One entry per EB segment (loop 2110C/D).</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseBenefit>))]
    public IReadOnlyList<ClearinghouseBenefit>? BenefitsInformation { get; init; }

    /// <summary>AAA rejections from every loop.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseAaaError>))]
    public IReadOnlyList<ClearinghouseAaaError>? Errors { get; init; }

    /// <summary>Non-fatal issues the clearinghouse noticed.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseWarning>))]
    public IReadOnlyList<ClearinghouseWarning>? Warnings { get; init; }

    /// <summary>The raw 271 the JSON was made from, when sent.</summary>
    public string? X12 { get; init; }

    /// <summary>Fields this model does not name (kept, not interpreted).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Prints no PHI.</summary>
    public override string ToString() => $"ClearinghouseEligibilityResponse {{ ControlNumber = {ControlNumber}, Benefits = {BenefitsInformation?.Count ?? 0}, Errors = {Errors?.Count ?? 0} }}";
}

/// <summary>The payer (2100A).</summary>
public sealed class ClearinghousePayer
{
    /// <summary>Payer name (NM103).</summary>
    public string? Name { get; init; }

    /// <summary>Payer ID (NM109 with NM108 PI).</summary>
    public string? PayorIdentification { get; init; }

    /// <summary>Tax ID (NM109 with NM108 FI).</summary>
    public string? FederalTaxpayersIdNumber { get; init; }

    /// <summary>CMS plan ID (NM109 with NM108 XV).</summary>
    public string? CentersForMedicareAndMedicaidPlanId { get; init; }

    /// <summary>E.g. "Payer".</summary>
    public string? EntityIdentifier { get; init; }

    /// <summary>PER contacts.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghouseContactInformation>))]
    public ClearinghouseContactInformation? ContactInformation { get; init; }

    /// <summary>AAA at 2000A/2100A.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseAaaError>))]
    public IReadOnlyList<ClearinghouseAaaError>? AaaErrors { get; init; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The provider (2100B).</summary>
public sealed class ClearinghouseProvider
{
    /// <summary>Provider name.</summary>
    public string? ProviderName { get; init; }

    /// <summary>Provider NPI.</summary>
    public string? Npi { get; init; }

    /// <summary>E.g. "Provider".</summary>
    public string? EntityIdentifier { get; init; }

    /// <summary>"Person" or "Non-Person Entity".</summary>
    public string? EntityType { get; init; }

    /// <summary>AAA at 2100B.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseAaaError>))]
    public IReadOnlyList<ClearinghouseAaaError>? AaaErrors { get; init; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A subscriber or dependent (2100C/D). Protected health information: never log it.</summary>
public sealed class ClearinghouseMember
{
    /// <summary>Member ID. PHI.</summary>
    public string? MemberId { get; init; }

    /// <summary>First name. PHI.</summary>
    public string? FirstName { get; init; }

    /// <summary>Last name. PHI.</summary>
    public string? LastName { get; init; }

    /// <summary>Middle name. PHI.</summary>
    public string? MiddleName { get; init; }

    /// <summary>Date of birth as sent (YYYYMMDD, sometimes YYYY-MM-DD). PHI.</summary>
    public string? DateOfBirth { get; init; }

    /// <summary>M or F.</summary>
    public string? Gender { get; init; }

    /// <summary>Group number, when the payer puts it here.</summary>
    public string? GroupNumber { get; init; }

    /// <summary>Relationship to the subscriber (dependents).</summary>
    public string? RelationToSubscriberCode { get; init; }

    /// <summary>AAA at 2100C/D.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseAaaError>))]
    public IReadOnlyList<ClearinghouseAaaError>? AaaErrors { get; init; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Prints no PHI.</summary>
    public override string ToString() => $"ClearinghouseMember {{ AaaErrors = {AaaErrors?.Count ?? 0} }}";
}

/// <summary>Plan identifiers.</summary>
public sealed class ClearinghousePlanInformation
{
    /// <summary>Group number (REF 6P).</summary>
    public string? GroupNumber { get; init; }

    /// <summary>Group name (REF 6P description).</summary>
    public string? GroupDescription { get; init; }

    /// <summary>Plan number (REF 18).</summary>
    public string? PlanNumber { get; init; }

    /// <summary>Plan description (REF 18 description).</summary>
    public string? PlanDescription { get; init; }

    /// <summary>Plan network ID (REF N6).</summary>
    public string? PlanNetworkIdNumber { get; init; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Plan and eligibility dates: each a date (YYYYMMDD) or a range (YYYYMMDD-YYYYMMDD).</summary>
public sealed class ClearinghousePlanDateInformation
{
    /// <summary>DTP 346.</summary>
    public string? PlanBegin { get; init; }

    /// <summary>DTP 347.</summary>
    public string? PlanEnd { get; init; }

    /// <summary>DTP 356.</summary>
    public string? EligibilityBegin { get; init; }

    /// <summary>DTP 357.</summary>
    public string? EligibilityEnd { get; init; }

    /// <summary>DTP 291: a plan period (a range) or a single date.</summary>
    public string? Plan { get; init; }

    /// <summary>DTP 307.</summary>
    public string? Eligibility { get; init; }

    /// <summary>DTP 472.</summary>
    public string? Service { get; init; }

    /// <summary>Fields this model does not name.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>Deprecated status summary row.</summary>
public sealed class ClearinghousePlanStatus
{
    /// <summary>EB01 of the status row.</summary>
    public string? StatusCode { get; init; }

    /// <summary>Its name.</summary>
    public string? Status { get; init; }

    /// <summary>EB05.</summary>
    public string? PlanDetails { get; init; }

    /// <summary>EB03.</summary>
    [JsonConverter(typeof(LenientListConverter<string>))]
    public IReadOnlyList<string>? ServiceTypeCodes { get; init; }
}

/// <summary>One EB row (loop 2110C/D) with its MSG, III, DTP, REF and 2120 entities.</summary>
public sealed class ClearinghouseBenefit
{
    /// <summary>EB01.</summary>
    public string? Code { get; init; }

    /// <summary>EB01's name.</summary>
    public string? Name { get; init; }

    /// <summary>EB02.</summary>
    public string? CoverageLevelCode { get; init; }

    /// <summary>EB02's name.</summary>
    public string? CoverageLevel { get; init; }

    /// <summary>EB03.</summary>
    [JsonConverter(typeof(LenientListConverter<string>))]
    public IReadOnlyList<string>? ServiceTypeCodes { get; init; }

    /// <summary>EB03's names.</summary>
    [JsonConverter(typeof(LenientListConverter<string>))]
    public IReadOnlyList<string>? ServiceTypes { get; init; }

    /// <summary>EB04.</summary>
    public string? InsuranceTypeCode { get; init; }

    /// <summary>EB04's name.</summary>
    public string? InsuranceType { get; init; }

    /// <summary>EB05.</summary>
    public string? PlanCoverage { get; init; }

    /// <summary>EB06.</summary>
    public string? TimeQualifierCode { get; init; }

    /// <summary>EB06's name.</summary>
    public string? TimeQualifier { get; init; }

    /// <summary>EB07 as text.</summary>
    public string? BenefitAmount { get; init; }

    /// <summary>EB08 as text (a fraction).</summary>
    public string? BenefitPercent { get; init; }

    /// <summary>EB09.</summary>
    public string? QuantityQualifierCode { get; init; }

    /// <summary>EB09's name.</summary>
    public string? QuantityQualifier { get; init; }

    /// <summary>EB10 as text.</summary>
    public string? BenefitQuantity { get; init; }

    /// <summary>EB11.</summary>
    public string? AuthOrCertIndicator { get; init; }

    /// <summary>EB12.</summary>
    public string? InPlanNetworkIndicatorCode { get; init; }

    /// <summary>EB12's name.</summary>
    public string? InPlanNetworkIndicator { get; init; }

    /// <summary>LS01.</summary>
    public string? HeaderLoopIdentifierCode { get; init; }

    /// <summary>LE01.</summary>
    public string? TrailerLoopIdentifierCode { get; init; }

    /// <summary>MSG lines.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseMessage>))]
    public IReadOnlyList<ClearinghouseMessage>? AdditionalInformation { get; init; }

    /// <summary>III rows (places of service).</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseAdditionalInformation>))]
    public IReadOnlyList<ClearinghouseAdditionalInformation>? EligibilityAdditionalInformationList { get; init; }

    /// <summary>Deprecated single III.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghouseAdditionalInformation>))]
    public ClearinghouseAdditionalInformation? EligibilityAdditionalInformation { get; init; }

    /// <summary>DTP dates of the row.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghouseBenefitDates>))]
    public ClearinghouseBenefitDates? BenefitsDateInformation { get; init; }

    /// <summary>2120 entities.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseRelatedEntity>))]
    public IReadOnlyList<ClearinghouseRelatedEntity>? BenefitsRelatedEntities { get; init; }

    /// <summary>Deprecated single 2120 entity (read as a list, since payers send either).</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseRelatedEntity>))]
    public IReadOnlyList<ClearinghouseRelatedEntity>? BenefitsRelatedEntity { get; init; }

    /// <summary>Fields this model does not name (REF, HSD, EB13 …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>An MSG line.</summary>
public sealed class ClearinghouseMessage
{
    /// <summary>The text.</summary>
    public string? Description { get; init; }
}

/// <summary>An III row.</summary>
public sealed class ClearinghouseAdditionalInformation
{
    /// <summary>III01, e.g. ZZ.</summary>
    public string? CodeListQualifierCode { get; init; }

    /// <summary>III02, e.g. 22 (outpatient hospital).</summary>
    public string? IndustryCode { get; init; }

    /// <summary>III02's name.</summary>
    public string? Industry { get; init; }
}

/// <summary>Benefit dates (each a date or a range).</summary>
public sealed class ClearinghouseBenefitDates
{
    /// <summary>DTP 292/346 style begin.</summary>
    public string? BenefitBegin { get; init; }

    /// <summary>End.</summary>
    public string? BenefitEnd { get; init; }

    /// <summary>DTP 291.</summary>
    public string? Plan { get; init; }

    /// <summary>Other dates.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A 2120 related entity: an MBHO, PCP, other payer, vendor.</summary>
public sealed class ClearinghouseRelatedEntity
{
    /// <summary>E.g. "Vendor", "Primary Payer".</summary>
    public string? EntityIdentifier { get; init; }

    /// <summary>"Person" or "Non-Person Entity".</summary>
    public string? EntityType { get; init; }

    /// <summary>Organisation or last name.</summary>
    public string? EntityName { get; init; }

    /// <summary>First name for a person.</summary>
    public string? EntityFirstName { get; init; }

    /// <summary>Qualifier of the ID.</summary>
    public string? EntityIdentification { get; init; }

    /// <summary>The ID.</summary>
    public string? EntityIdentificationValue { get; init; }

    /// <summary>PER contacts.</summary>
    [JsonConverter(typeof(LenientObjectConverter<ClearinghouseContactInformation>))]
    public ClearinghouseContactInformation? ContactInformation { get; init; }

    /// <summary>Fields this model does not name (address …).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>PER contact block.</summary>
public sealed class ClearinghouseContactInformation
{
    /// <summary>PER02.</summary>
    public string? Name { get; init; }

    /// <summary>PER03–08 pairs.</summary>
    [JsonConverter(typeof(LenientListConverter<ClearinghouseContact>))]
    public IReadOnlyList<ClearinghouseContact>? Contacts { get; init; }
}

/// <summary>One communication number.</summary>
public sealed class ClearinghouseContact
{
    /// <summary>E.g. "Telephone", "Work Phone Number", "Uniform Resource Locator (URL)".</summary>
    public string? CommunicationMode { get; init; }

    /// <summary>The number or address.</summary>
    public string? CommunicationNumber { get; init; }
}

/// <summary>An AAA rejection.</summary>
public sealed class ClearinghouseAaaError
{
    /// <summary>Always "AAA".</summary>
    public string? Field { get; init; }

    /// <summary>AAA03 reject reason code.</summary>
    public string? Code { get; init; }

    /// <summary>Its description.</summary>
    public string? Description { get; init; }

    /// <summary>AAA04 as text, e.g. "Please Correct and Resubmit".</summary>
    public string? FollowupAction { get; init; }

    /// <summary>E.g. "Loop 2100C".</summary>
    public string? Location { get; init; }

    /// <summary>Stedi's hint.</summary>
    public string? PossibleResolutions { get; init; }
}

/// <summary>A clearinghouse warning.</summary>
public sealed class ClearinghouseWarning
{
    /// <summary>E.g. <c>response::271::invalid_subscriber_insured_id</c>.</summary>
    public string? Code { get; init; }

    /// <summary>Text.</summary>
    public string? Description { get; init; }
}
