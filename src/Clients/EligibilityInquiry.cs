namespace CoverageCheck.Clients;

/// <summary>
/// One eligibility question to one payer about one person: what both the clearinghouse JSON request and the X12 270
/// are built from. It carries protected health information: never log it.
/// </summary>
/// <param name="PayerId">The payer's trading-partner ID (a string: leading zeros matter).</param>
/// <param name="FirstName">Subscriber's first name as on the card.</param>
/// <param name="LastName">Subscriber's last name as on the card.</param>
/// <param name="DateOfBirth">Subscriber's date of birth.</param>
/// <param name="MemberId">Member ID as on the card.</param>
/// <param name="GroupNumber">Group number, when known.</param>
/// <param name="DateOfService">The date the benefits are asked for.</param>
/// <param name="ServiceTypeCode">One X12 service type code per inquiry (e.g. <c>AI</c> substance abuse, <c>30</c> health benefit plan coverage).</param>
/// <param name="ControlNumber">Nine-digit control number identifying this inquiry (the JSON <c>controlNumber</c>, the 270's ST02/BHT03).</param>
public sealed record EligibilityInquiry(
    string PayerId,
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string MemberId,
    string? GroupNumber,
    DateOnly DateOfService,
    string ServiceTypeCode,
    string ControlNumber)
{
    /// <summary>Never print the person: records print only the payer and the control number.</summary>
    public override string ToString() => $"EligibilityInquiry {{ PayerId = {PayerId}, ServiceType = {ServiceTypeCode}, ControlNumber = {ControlNumber} }}";
}

/// <summary>The provider asking (the program): the <c>provider</c> block of every inquiry, NM1*1P in X12.</summary>
/// <param name="OrganizationName">The program's legal name.</param>
/// <param name="Npi">The program's 10-digit National Provider Identifier.</param>
public sealed record InquiringProvider(string OrganizationName, string Npi);
