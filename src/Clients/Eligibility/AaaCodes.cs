using System.Collections.Frozen;

namespace CoverageCheck.Clients.Eligibility;

/// <summary>The AAA03 reject reasons and AAA04 follow-up actions, and how eligibility.md classes them.</summary>
public static class AaaCodes
{
    private static readonly FrozenDictionary<string, string> Descriptions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["04"] = "Authorized Quantity Exceeded",
        ["15"] = "Required application data missing",
        ["33"] = "Input Errors",
        ["35"] = "Out of Network",
        ["41"] = "Authorization/Access Restrictions",
        ["42"] = "Unable to Respond at Current Time",
        ["43"] = "Invalid/Missing Provider Identification",
        ["44"] = "Invalid/Missing Provider Name",
        ["45"] = "Invalid/Missing Provider Specialty",
        ["46"] = "Invalid/Missing Provider Phone Number",
        ["47"] = "Invalid/Missing Provider State",
        ["48"] = "Invalid/Missing Referring Provider Identification Number",
        ["49"] = "Provider is Not Primary Care Physician",
        ["50"] = "Provider Ineligible for Inquiries",
        ["51"] = "Provider Not on File",
        ["52"] = "Service Dates Not Within Provider Plan Enrollment",
        ["53"] = "Inquired Benefit Inconsistent with Provider Type",
        ["54"] = "Inappropriate Product/Service ID Qualifier",
        ["55"] = "Inappropriate Product/Service ID",
        ["56"] = "Inappropriate Date",
        ["57"] = "Invalid/Missing Date(s) of Service",
        ["58"] = "Invalid/Missing Date-of-Birth",
        ["60"] = "Date of Birth Follows Date(s) of Service",
        ["61"] = "Date of Death Precedes Date(s) of Service",
        ["62"] = "Date of Service Not Within Allowable Inquiry Period",
        ["63"] = "Date of Service in Future",
        ["64"] = "Invalid/Missing Patient ID",
        ["65"] = "Invalid/Missing Patient Name",
        ["66"] = "Invalid/Missing Patient Gender Code",
        ["67"] = "Patient Not Found",
        ["68"] = "Duplicate Patient ID Number",
        ["69"] = "Inconsistent with Patient's Age",
        ["70"] = "Inconsistent with Patient's Gender",
        ["71"] = "Patient Birth Date Does Not Match That for the Patient on the Database",
        ["72"] = "Invalid/Missing Subscriber/Insured ID",
        ["73"] = "Invalid/Missing Subscriber/Insured Name",
        ["74"] = "Invalid/Missing Subscriber/Insured Gender Code",
        ["75"] = "Subscriber/Insured Not Found",
        ["76"] = "Duplicate Subscriber/Insured ID Number",
        ["77"] = "Subscriber Found, Patient Not Found",
        ["78"] = "Subscriber/Insured Not in Group/Plan Identified",
        ["79"] = "Invalid Participant Identification",
        ["80"] = "No Response received - Transaction Terminated",
        ["97"] = "Invalid or Missing Provider Address",
        ["98"] = "Experimental Service or Procedure",
        ["AA"] = "Authorization Number Not Found",
        ["AE"] = "Requires Primary Care Physician Authorization",
        ["AF"] = "Invalid/Missing Diagnosis Code(s)",
        ["AG"] = "Invalid/Missing Procedure Code(s)",
        ["AO"] = "Additional Patient Condition Information Required",
        ["CI"] = "Certification Information Does Not Match Patient",
        ["E8"] = "Requires Medical Review",
        ["IA"] = "Invalid Authorization Number Format",
        ["MA"] = "Missing Authorization",
        ["T4"] = "Payer Name or Identifier Missing",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> FollowUpActions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["C"] = "Please Correct and Resubmit",
        ["N"] = "Resubmission Not Allowed",
        ["P"] = "Please Resubmit Original Transaction",
        ["R"] = "Resubmission Allowed",
        ["S"] = "Do Not Resubmit; Inquiry Initiated to a Third Party",
        ["W"] = "Please Wait 30 Days and Resubmit",
        ["X"] = "Please Wait 10 Days and Resubmit",
        ["Y"] = "Do Not Resubmit; We Will Hold Your Request and Respond Again Shortly",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, string> FollowUpCodesByText =
        FollowUpActions.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> CorrectData = FrozenSet.Create(StringComparer.OrdinalIgnoreCase,
        "15", "33", "43", "44", "56", "57", "58", "60", "61", "62", "63", "64", "65", "67", "71", "72", "73", "74", "75", "76", "77", "78");

    private static readonly FrozenSet<string> Configuration = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "41", "50", "51", "52", "79", "T4");

    private static readonly FrozenSet<string> BenefitMismatch = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "53", "54", "55");

    private static readonly FrozenSet<string> Transient = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "42", "80", "04");

    /// <summary>The X12 description of an AAA03 code, or null when unknown.</summary>
    public static string? Describe(string? code) => code is not null && Descriptions.TryGetValue(Normalize(code), out var text) ? text : null;

    /// <summary>The text of an AAA04 follow-up action code, or null when unknown.</summary>
    public static string? DescribeFollowUp(string? code) => code is not null && FollowUpActions.TryGetValue(code.Trim(), out var text) ? text : null;

    /// <summary>The AAA04 code of a follow-up action given as text (as the JSON sends it) or as a code; null when unknown.</summary>
    public static string? FollowUpCode(string? followUp)
    {
        if (string.IsNullOrWhiteSpace(followUp))
        {
            return null;
        }

        var trimmed = followUp.Trim();
        if (FollowUpActions.ContainsKey(trimmed))
        {
            return trimmed.ToUpperInvariant();
        }

        return FollowUpCodesByText.TryGetValue(trimmed, out var code) ? code : null;
    }

    /// <summary>
    /// Classes a rejection: transient for 42, 80, 04 or a follow-up action R/P; then correct-data, configuration,
    /// benefit-mismatch by code; anything else is <see cref="AaaClass.Other"/>.
    /// </summary>
    public static AaaClass Classify(string? code, string? followUpActionCode)
    {
        var normalized = code is null ? string.Empty : Normalize(code);
        if (Transient.Contains(normalized) || followUpActionCode is "R" or "P")
        {
            return AaaClass.Transient;
        }

        if (CorrectData.Contains(normalized))
        {
            return AaaClass.CorrectData;
        }

        if (Configuration.Contains(normalized))
        {
            return AaaClass.Configuration;
        }

        return BenefitMismatch.Contains(normalized) ? AaaClass.BenefitMismatch : AaaClass.Other;
    }

    /// <summary>Builds a classed <see cref="AaaError"/>.</summary>
    public static AaaError Create(string? code, string? description, string? followUp, string? location)
    {
        var normalized = string.IsNullOrWhiteSpace(code) ? "unknown" : Normalize(code);
        var followUpCode = FollowUpCode(followUp);
        var followUpText = followUpCode is not null ? DescribeFollowUp(followUpCode) : followUp?.Trim();
        var aaaClass = Classify(normalized, followUpCode);
        return new AaaError(
            normalized,
            string.IsNullOrWhiteSpace(description) ? Describe(normalized) : description.Trim(),
            string.IsNullOrWhiteSpace(followUpText) ? null : followUpText,
            followUpCode,
            string.IsNullOrWhiteSpace(location) ? null : location.Trim(),
            aaaClass,
            aaaClass == AaaClass.Transient);
    }

    /// <summary>"4" is "04": payers drop the leading zero now and then.</summary>
    private static string Normalize(string code)
    {
        var trimmed = code.Trim().ToUpperInvariant();
        return trimmed.Length == 1 && char.IsAsciiDigit(trimmed[0]) ? "0" + trimmed : trimmed;
    }
}
