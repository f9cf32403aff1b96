namespace CoverageCheck.Clients;

/// <summary>
/// One eligibility question to one payer about one person: what both the clearinghouse JSON request and the X12 270
/// are built from. It carries protected health information: never log it.
/// </summary>
/// <remarks>
/// When the patient is a dependent without an ID of their own, the names and date of birth are the subscriber's and
/// <see cref="Dependent"/> is the patient (JSON <c>dependents[]</c>, X12 loop 2000D/2100D); a dependent with their own
/// member ID is asked about as the subscriber, the clearinghouses' rule.
/// </remarks>
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
    /// <summary>The patient when they are the subscriber's dependent (asked about under the subscriber's ID); null when the patient is the subscriber.</summary>
    public InquiryDependent? Dependent { get; init; }

    /// <summary>Never print the person: records print only the payer and the control number.</summary>
    public override string ToString() => $"EligibilityInquiry {{ PayerId = {PayerId}, ServiceType = {ServiceTypeCode}, ControlNumber = {ControlNumber}, Dependent = {Dependent is not null} }}";
}

/// <summary>
/// The patient as the subscriber's dependent: JSON <c>dependents[]</c>, X12 2100D (NM1*03, DMG, INS). Protected health
/// information: never log it.
/// </summary>
/// <param name="FirstName">The dependent's first name.</param>
/// <param name="LastName">The dependent's last name.</param>
/// <param name="DateOfBirth">The dependent's date of birth (DMG02).</param>
/// <param name="IndividualRelationshipCode">X12 individual relationship code: <c>01</c> spouse, <c>19</c> child, <c>34</c> other adult (<see cref="Relationships.ToX12Code"/>).</param>
public sealed record InquiryDependent(string FirstName, string LastName, DateOnly DateOfBirth, string IndividualRelationshipCode)
{
    /// <summary>Never print the person.</summary>
    public override string ToString() => $"InquiryDependent {{ IndividualRelationshipCode = {IndividualRelationshipCode} }}";
}

/// <summary>The provider asking (the program): the <c>provider</c> block of every inquiry, NM1*1P in X12.</summary>
/// <param name="OrganizationName">The program's legal name.</param>
/// <param name="Npi">The program's 10-digit National Provider Identifier.</param>
public sealed record InquiringProvider(string OrganizationName, string Npi);
