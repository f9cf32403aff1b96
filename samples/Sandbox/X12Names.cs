namespace CoverageCheck.Sandbox;

/// <summary>The human-readable names the v3 JSON pairs with each X12 code, as Stedi and Change write them.</summary>
internal static class X12Names
{
    public static string Eligibility(string code) => code switch
    {
        "1" => "Active Coverage",
        "6" => "Inactive",
        "A" => "Co-Insurance",
        "B" => "Co-Payment",
        "C" => "Deductible",
        "F" => "Limitations",
        "G" => "Out of Pocket (Stop Loss)",
        "I" => "Non-Covered",
        "U" => "Contact Following Entity for Eligibility or Benefit Information",
        "W" => "Other Source of Data",
        _ => code,
    };

    public static string CoverageLevel(string code) => code switch
    {
        "IND" => "Individual",
        "FAM" => "Family",
        _ => code,
    };

    public static string ServiceType(string code) => code switch
    {
        "30" => "Health Benefit Plan Coverage",
        "AI" => "Substance Abuse",
        "AJ" => "Alcoholism",
        "AK" => "Drug Addiction",
        "CJ" => "Substance Abuse Facility - Outpatient",
        "MH" => "Mental Health",
        "A8" => "Psychiatric - Outpatient",
        _ => code,
    };

    public static string InsuranceType(string code) => code switch
    {
        "PR" => "Preferred Provider Organization (PPO)",
        "HM" => "Health Maintenance Organization (HMO)",
        "PS" => "Point of Service (POS)",
        "MB" => "Medicare Part B",
        "MC" => "Medicaid",
        _ => code,
    };

    public static string TimeQualifier(string code) => code switch
    {
        "23" => "Calendar Year",
        "27" => "Visit",
        "29" => "Remaining",
        _ => code,
    };

    public static string Network(string code) => code switch
    {
        "Y" => "Yes",
        "N" => "No",
        "W" => "Not Applicable",
        _ => "Unknown",
    };

    public static string Quantity(string code) => code == "VS" ? "Visits" : code;

    public static string FollowUp(string code) => code switch
    {
        "C" => "Please Correct and Resubmit",
        "N" => "Resubmission Not Allowed",
        "R" => "Resubmission Allowed",
        _ => code,
    };

    public static string Reject(string code) => code switch
    {
        "42" => "Unable to Respond at Current Time",
        "43" => "Invalid/Missing Provider Identification",
        "53" => "Inquired Benefit Inconsistent with Provider Type",
        "57" => "Invalid/Missing Date(s) of Service",
        "58" => "Invalid/Missing Date-of-Birth",
        "71" => "Patient Birth Date Does Not Match That for the Patient on the Database",
        "72" => "Invalid/Missing Subscriber/Insured ID",
        "73" => "Invalid/Missing Subscriber/Insured Name",
        "75" => "Subscriber/Insured Not Found",
        "79" => "Invalid Participant Identification",
        _ => code,
    };
}
