namespace CoverageCheck.Sandbox;

/// <summary>
/// A synthetic member the sandbox knows, matched by payer ID and member ID (no real person). <c>Scenario</c> says
/// what the member shows, in one line (listed by <c>GET /sandbox/members</c> and in docs/sandbox.md).
/// </summary>
public sealed record SandboxMember(
    string PayerId,
    string MemberId,
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string? GroupNumber,
    string Scenario,
    SandboxCoverage Coverage,
    SandboxBehaviour Behaviour = SandboxBehaviour.Normal,
    IReadOnlyList<SandboxDependent>? Dependents = null);

/// <summary>
/// A spouse or child on a subscriber's plan without a member ID of their own: found only as a dependent (JSON
/// <c>dependents[]</c>, X12 2000D) under the subscriber's ID; asked about as the subscriber, the payer answers AAA 75.
/// </summary>
/// <param name="FirstName">First name (NM104).</param>
/// <param name="LastName">Last name (NM103).</param>
/// <param name="DateOfBirth">Date of birth (DMG02).</param>
/// <param name="RelationshipCode">X12 individual relationship code: 01 spouse, 19 child, 34 other adult.</param>
public sealed record SandboxDependent(string FirstName, string LastName, DateOnly DateOfBirth, string RelationshipCode);

/// <summary>How the member's payer behaves on the wire, besides what it answers.</summary>
public enum SandboxBehaviour
{
    Normal,

    /// <summary>The payer is down: 200 with AAA 42 "Unable to Respond at Current Time", follow-up R.</summary>
    PayerUnavailable,

    /// <summary>Answers after <see cref="SandboxOptions.SlowLatencyMs"/>.</summary>
    Slow,

    /// <summary>Two of every three calls answer 503 (no Retry-After); the third answers.</summary>
    Burst503,

    /// <summary>Two of every three calls answer 429 with <c>Retry-After: 1</c>; the third answers.</summary>
    Burst429,

    /// <summary>Any service type but <c>30</c> is refused with 400 AAA 53 (ask again with 30); asked 30, the plan answers.</summary>
    OnlyServiceType30,
}

/// <summary>The member's plan as the payer would describe it for substance-use outpatient care.</summary>
/// <param name="PlanName">EB05 plan coverage description.</param>
/// <param name="InsuranceTypeCode">EB04: PR PPO, HM HMO, PS POS, MB Medicare Part B, MC Medicaid.</param>
/// <param name="Active">False: the coverage has ended (EB 6 on any date after <paramref name="TerminatedOn"/>, or on every date without one).</param>
/// <param name="CoverageLevelCode"><c>IND</c> or <c>FAM</c>: FAM plans also carry family deductible and out-of-pocket rows.</param>
/// <param name="TerminatedOn">Coverage ended on this date; a date of service after it answers inactive (EB 6).</param>
/// <param name="BehaviouralServiceType">The service type the behavioural rows are filed under: <c>AI</c>, <c>MH</c>, or <c>30</c> (no specific rows).</param>
/// <param name="InNetwork">Tier Y; null when the plan has no in-network benefit to report for our provider.</param>
/// <param name="OutOfNetwork">Tier N; null when out-of-network care is not covered.</param>
/// <param name="PlanLevel">Deductible and out-of-pocket rows on service type 30 (plan-wide), per tier.</param>
/// <param name="CarveOut">A behavioural-health administrator holds these benefits (EB U with a related entity).</param>
/// <param name="Messages">MSG lines on the behavioural active-coverage row.</param>
/// <param name="NetworkIndicators">False for plans without network tiers (Original Medicare): rows carry no EB12.</param>
/// <param name="EndStatedAs">How the payer states the end of coverage (<paramref name="TerminatedOn"/>, or
/// <paramref name="EndsDaysAfterService"/>): as the plan's end (DTP 347, JSON <c>planEnd</c>), the end of a plan range
/// (DTP 291 RD8, JSON <c>plan</c>) or an eligibility end beside a renewing plan year (DTP 357, JSON <c>eligibilityEnd</c>).</param>
/// <param name="EndsDaysAfterService">Coverage ends this many days after the date of service asked about (an employment
/// that ends mid-program), so the demo member stays current whatever today's date is.</param>
public sealed record SandboxCoverage(
    string PlanName,
    string InsuranceTypeCode,
    string CoverageLevelCode,
    bool Active,
    DateOnly? TerminatedOn,
    string BehaviouralServiceType,
    SandboxPlanLevel? PlanLevel,
    SandboxTier? InNetwork,
    SandboxTier? OutOfNetwork,
    SandboxCarveOut? CarveOut = null,
    IReadOnlyList<string>? Messages = null,
    bool NetworkIndicators = true,
    CoverageEndKind EndStatedAs = CoverageEndKind.PlanEnd,
    int? EndsDaysAfterService = null);

/// <summary>The date element a payer uses to say coverage ends (#15: real payers use each of these).</summary>
public enum CoverageEndKind
{
    /// <summary>DTP*347 plan end; v3 <c>planDateInformation.planEnd</c>.</summary>
    PlanEnd,

    /// <summary>DTP*291 RD8 plan range instead of 346/347; v3 <c>planDateInformation.plan</c> ("yyyyMMdd-yyyyMMdd").</summary>
    PlanRange,

    /// <summary>DTP*357 eligibility end beside a plan year that renews; v3 <c>planDateInformation.eligibilityEnd</c>.</summary>
    EligibilityEnd,
}

/// <summary>Plan-wide accumulators (service type 30), per network tier.</summary>
public sealed record SandboxPlanLevel(SandboxAccumulators? InNetwork, SandboxAccumulators? OutOfNetwork);

/// <summary>Deductible (EB C) and out-of-pocket maximum (EB G): totals (EB06 23) and what remains (29).</summary>
public sealed record SandboxAccumulators(
    SandboxAmount? IndividualDeductible,
    SandboxAmount? FamilyDeductible,
    SandboxAmount? IndividualOutOfPocket,
    SandboxAmount? FamilyOutOfPocket);

/// <summary>A calendar-year total and what remains of it.</summary>
public sealed record SandboxAmount(decimal Total, decimal Remaining);

/// <summary>Cost share for the behavioural service type in one tier.</summary>
/// <param name="CopayPerVisit">EB B with EB06 27 (per visit; one IOP day is one visit).</param>
/// <param name="CoinsuranceShare">EB A: the patient's share as a fraction (0.2 is 20 %).</param>
/// <param name="AuthorizationRequired">EB11 Y.</param>
/// <param name="VisitLimit">EB F with VS: the yearly limit (EB06 23) and the visits remaining (29).</param>
public sealed record SandboxTier(
    decimal? CopayPerVisit,
    decimal? CoinsuranceShare,
    bool AuthorizationRequired,
    SandboxAmount? VisitLimit = null);

/// <summary>A behavioural-health administrator (2120C entity) that holds the member's behavioural benefits.</summary>
/// <param name="Name">NM103 / <c>entityName</c>.</param>
/// <param name="Phone">PER / <c>contactInformation</c>.</param>
/// <param name="MemberId">The member's ID at the administrator, when the plan gives it (NM108 MI, NM109 / <c>entityIdentificationValue</c>).</param>
public sealed record SandboxCarveOut(string Name, string Phone, string? MemberId = null);
