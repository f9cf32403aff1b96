namespace CoverageCheck.Clients.Eligibility;

/// <summary>
/// What one payer answer says about one patient, in the shape of the verification's <c>coverage</c> and <c>errors</c>
/// (http-api.md). Unknown stays null: nothing here is invented.
/// </summary>
/// <param name="Payer">Who answered, when the answer says.</param>
/// <param name="Coverage">The benefits for substance-use outpatient care; null when the answer carries no benefit rows (for example a rejection).</param>
/// <param name="Errors">The payer's rejections (AAA), classed.</param>
/// <param name="Warnings">Faults in the answer that did not stop the reading (envelope counts, odd values, several patients in one file).</param>
/// <param name="Assumptions">What the answer left unknown and how it was read (e.g. a total without a remainder: nothing is known to be met).</param>
/// <param name="InputErrors">Why the input could not be read (not JSON, no ISA, a truncated transaction …), naming segment and position for X12. Empty when readable.</param>
public sealed record EligibilityReading(
    PayerInfo? Payer,
    NormalizedCoverage? Coverage,
    IReadOnlyList<AaaError> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<string> InputErrors)
{
    /// <summary>True when the input could be read (it may still carry payer rejections in <see cref="Errors"/>).</summary>
    public bool IsReadable => InputErrors.Count == 0;

    /// <summary>True when any rejection should be retried later (transient class).</summary>
    public bool IsRetryable => Errors.Any(e => e.Retryable);

    /// <summary>A reading of input that could not be read at all.</summary>
    public static EligibilityReading Unreadable(IReadOnlyList<string> inputErrors, IReadOnlyList<string>? warnings = null) =>
        new(null, null, [], warnings ?? [], [], inputErrors);
}

/// <summary>The payer that answered.</summary>
/// <param name="Id">Payer ID (a string: leading zeros matter), when the answer carries one.</param>
/// <param name="Name">Payer name.</param>
public sealed record PayerInfo(string? Id, string? Name);

/// <summary>
/// Normalised coverage for the IOP estimate. Benefits are taken from the most specific service type present
/// (AI, AJ, AK, CJ, then MH, CF, CH, A8, then 30), per benefit kind; see docs/eligibility.md.
/// </summary>
/// <param name="Active">True when an EB01 1–5 (active) row applies, false for 6/7/8 (inactive) only, null when no status row.</param>
/// <param name="PlanName">EB05 plan coverage description of the status row.</param>
/// <param name="GroupNumber">Group number (REF 6P / <c>planInformation.groupNumber</c>).</param>
/// <param name="PlanBegin">Plan begin (DTP 346, or the start of a DTP 291 range).</param>
/// <param name="PlanEnd">Plan end (DTP 347, or the end of a DTP 291 range).</param>
/// <param name="EligibilityBegin">Eligibility begin (DTP 356); not a plan-year start.</param>
/// <param name="EligibilityEnd">Eligibility end (DTP 357).</param>
/// <param name="InNetwork">The in-network tier (EB12 Y, or W for both); null when nothing is known or a carve-out applies.</param>
/// <param name="OutOfNetwork">The out-of-network tier (EB12 N, or W for both); null when nothing is known or a carve-out applies.</param>
/// <param name="CarveOut">Another entity administers these benefits: report it, do not estimate from the medical plan's numbers.</param>
/// <param name="ServiceTypeUsed">The most specific service type code the payer answered for (e.g. <c>AI</c>, <c>MH</c>, <c>30</c>).</param>
public sealed record NormalizedCoverage(
    bool? Active,
    string? PlanName,
    string? GroupNumber,
    DateOnly? PlanBegin,
    DateOnly? PlanEnd,
    DateOnly? EligibilityBegin,
    DateOnly? EligibilityEnd,
    BenefitTier? InNetwork,
    BenefitTier? OutOfNetwork,
    CarveOut? CarveOut,
    string? ServiceTypeUsed)
{
    /// <summary>
    /// <c>subscriber</c> or <c>dependent</c>: who the patient is on the plan (http-api.md "Dependents"), set by the
    /// caller that knows whom it asked about; null when not said.
    /// </summary>
    public string? PatientIs { get; init; }

    /// <summary>
    /// Per tier field path (<c>inNetwork.copayPerDay</c>), where its value came from; null until a completion by phone
    /// or portal was entered (then every field the payer gave is listed as <c>payer-answer</c> beside the completed ones).
    /// </summary>
    public IReadOnlyDictionary<string, FieldSource>? Sources { get; init; }

    /// <summary>
    /// Set when <see cref="InNetwork"/> and <see cref="OutOfNetwork"/> are another payer's (the carve-out
    /// administrator's, from its linked verification), by the caller that asked it; null when they are this answer's.
    /// </summary>
    public BenefitsSource? BenefitsFrom { get; init; }

    /// <summary>
    /// The last day the answer says coverage lasts: the earlier of <see cref="EligibilityEnd"/> (DTP 357, JSON
    /// <c>eligibilityEnd</c>) and <see cref="PlanEnd"/> (DTP 347, the end of a DTP 291 range, JSON <c>planEnd</c> or the
    /// end of <c>plan</c>) when the plan end is not simply the end of a plan year that renews (one year less a day
    /// after <see cref="PlanBegin"/>, or 31 December when no begin is given). An estimate whose program runs past it
    /// prices the later days as self-pay (<c>coverage-ends</c>).
    /// </summary>
    public DateOnly? CoverageEnds
    {
        get
        {
            var planEnd = PlanEnd is { } end && !EndsAPlanYear(end) ? end : (DateOnly?)null;
            return (planEnd, EligibilityEnd) switch
            {
                ({ } plan, { } eligibility) => plan < eligibility ? plan : eligibility,
                ({ } plan, null) => plan,
                (null, var eligibility) => eligibility,
            };
        }
    }

    private bool EndsAPlanYear(DateOnly end) =>
        PlanBegin is { } begin ? end == begin.AddYears(1).AddDays(-1) : end is { Month: 12, Day: 31 };

    /// <summary>Behavioural-health care the payer says is not covered (EB01 I), per tier; null when it says nothing of the kind.</summary>
    public NonCovered? NonCovered { get; init; }

    /// <summary>
    /// True when every coverage row of the answer is for another product (dental, vision): nothing medical or
    /// behavioural is stated, so <see cref="Active"/> is null rather than the dental plan's "active".
    /// </summary>
    public bool NoMedicalCoverageStated { get; init; }

    /// <summary>The plan's X12 insurance type code (EB04 of its active-coverage row: <c>PR</c> PPO, <c>HM</c> HMO, <c>EP</c> EPO …), when sent.</summary>
    public string? InsuranceType { get; init; }

    /// <summary>Other or additional payers the answer names (EB01 R with its 2120 entities): coordinate benefits.</summary>
    public IReadOnlyList<OtherCoverage> OtherCoverage { get; init; } = [];

    /// <summary>
    /// What the payer said in words (MSG) on the rows that matter for the estimate, kept with the benefit each belongs
    /// to. Shown to staff; never logged.
    /// </summary>
    public IReadOnlyList<PayerMessage> Messages { get; init; } = [];

    /// <summary>Value equality, with the lists compared item by item (a record compares lists by reference).</summary>
    public bool Equals(NormalizedCoverage? other) =>
        other is not null &&
        Active == other.Active && PlanName == other.PlanName && GroupNumber == other.GroupNumber &&
        PlanBegin == other.PlanBegin && PlanEnd == other.PlanEnd && EligibilityBegin == other.EligibilityBegin && EligibilityEnd == other.EligibilityEnd &&
        Equals(InNetwork, other.InNetwork) && Equals(OutOfNetwork, other.OutOfNetwork) && Equals(CarveOut, other.CarveOut) &&
        ServiceTypeUsed == other.ServiceTypeUsed && Equals(NonCovered, other.NonCovered) && NoMedicalCoverageStated == other.NoMedicalCoverageStated &&
        OtherCoverage.SequenceEqual(other.OtherCoverage) &&
        Messages.Count == other.Messages.Count && Messages.Zip(other.Messages).All(pair => pair.First.Equals(pair.Second));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Active, PlanName, PlanBegin, PlanEnd, InNetwork, OutOfNetwork, ServiceTypeUsed, OtherCoverage.Count);
}

/// <summary>Care the payer says is not covered (EB01 I) on a behavioural-health service type.</summary>
/// <param name="ServiceType">The service type code of the non-covered row (e.g. <c>MH</c>, <c>AI</c>).</param>
/// <param name="InNetwork">Not covered in network (EB12 Y, W, or not said).</param>
/// <param name="OutOfNetwork">Not covered out of network (EB12 N, W, or not said).</param>
public sealed record NonCovered(string ServiceType, bool InNetwork, bool OutOfNetwork);

/// <summary>Another or additional payer named by an EB01 R row (for example a Medicare Advantage plan to bill instead, a primary payer, QMB Medicaid).</summary>
/// <param name="PayerName">The 2120 entity's name, when sent.</param>
/// <param name="PayerId">Its identification (NM109), when sent.</param>
/// <param name="InsuranceType">EB04 insurance type code (e.g. <c>HM</c>, <c>MC</c>, <c>OT</c>), when sent.</param>
/// <param name="Description">EB05 plan coverage description, when sent.</param>
/// <param name="Begin">The row's begin date, when sent.</param>
/// <param name="End">The row's end date, when sent.</param>
public sealed record OtherCoverage(string? PayerName, string? PayerId, string? InsuranceType, string? Description, DateOnly? Begin, DateOnly? End);

/// <summary>One MSG text with the benefit it belongs to.</summary>
/// <param name="Benefit">The benefit in words ("deductible", "active coverage", "not covered" …).</param>
/// <param name="ServiceTypes">The service type codes of its row; empty for the plan as a whole.</param>
/// <param name="Network">EB12 of its row (<c>Y</c>, <c>N</c>, <c>W</c>), when sent.</param>
/// <param name="Text">The payer's words.</param>
public sealed record PayerMessage(string Benefit, IReadOnlyList<string> ServiceTypes, string? Network, string Text)
{
    /// <summary>Value equality, with the service types compared item by item.</summary>
    public bool Equals(PayerMessage? other) =>
        other is not null && Benefit == other.Benefit && Network == other.Network && Text == other.Text && ServiceTypes.SequenceEqual(other.ServiceTypes);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Benefit, Network, Text, ServiceTypes.Count);

    /// <summary>Prints no payer text (it may describe the patient).</summary>
    public override string ToString() => $"PayerMessage {{ Benefit = {Benefit} }}";
}

/// <summary>The benefits of one network tier.</summary>
/// <param name="Deductible">Deductible (EB01 C) by level.</param>
/// <param name="OutOfPocketMax">Out-of-pocket maximum (EB01 G) by level.</param>
/// <param name="CopayPerDay">Copay (EB01 B) per day (EB06 7) or per visit (EB06 27); one IOP session day is one visit.</param>
/// <param name="CoinsurancePercent">Patient's coinsurance share (EB01 A) as a percent, 0–100 (".2" is 20).</param>
/// <param name="PriorAuthorizationRequired">EB11: true for Y, false for N, null when not said or U.</param>
/// <param name="VisitLimit">Visit or day limit (EB01 F with VS or DY).</param>
public sealed record BenefitTier(
    LevelAmounts? Deductible,
    LevelAmounts? OutOfPocketMax,
    decimal? CopayPerDay,
    decimal? CoinsurancePercent,
    bool? PriorAuthorizationRequired,
    VisitLimit? VisitLimit)
{
    /// <summary>
    /// Whether the deductible applies to this service (false: copay or coinsurance from the first session). A 271
    /// rarely says; admissions learn it on the phone (http-api.md "Completing a verification"). Null: not said.
    /// </summary>
    public bool? DeductibleAppliesToService { get; init; }

    /// <summary>Where to request prior authorisation, when a representative gave the number.</summary>
    public string? PriorAuthorizationPhone { get; init; }
}

/// <summary>
/// Where one benefit field's value came from (http-api.md <c>coverage.sources</c>): <c>payer-answer</c>, or a
/// completion by <c>phone</c> or <c>portal</c> with who entered it, when the call was and its reference number.
/// </summary>
public sealed record FieldSource(string Source, string? By = null, DateTimeOffset? At = null, string? Reference = null)
{
    public const string PayerAnswer = "payer-answer";
}

/// <summary>An accumulator at the individual and family levels (EB02 IND / FAM).</summary>
/// <param name="Individual">Individual amounts.</param>
/// <param name="Family">Family amounts.</param>
public sealed record LevelAmounts(Amounts? Individual, Amounts? Family);

/// <summary>
/// One accumulator. <see cref="Total"/> comes from EB06 23/22/25 or none, <see cref="Remaining"/> from 29,
/// <see cref="Met"/> from 24; a missing one is derived only by arithmetic from the other two (remaining = total − met).
/// A total alone leaves remaining and met null: nothing is known to be met.
/// </summary>
/// <param name="Total">The yearly (or contract) amount.</param>
/// <param name="Remaining">What is left to pay.</param>
/// <param name="Met">What has been paid so far.</param>
/// <param name="Unlimited">True when the payer sent 9999999.99, meaning no limit (then <see cref="Total"/> is null).</param>
public sealed record Amounts(decimal? Total, decimal? Remaining, decimal? Met, bool Unlimited = false);

/// <summary>A visit or day limit.</summary>
/// <param name="Total">Visits (or days) allowed in the period (EB06 23/22/25 or none).</param>
/// <param name="Remaining">Visits (or days) left (EB06 29).</param>
/// <param name="Unit"><c>visits</c> (EB09 VS) or <c>days</c> (DY); for IOP one session day is one visit.</param>
/// <param name="Unlimited">True when the payer sent 9999999.99 as the quantity.</param>
public sealed record VisitLimit(int? Total, int? Remaining, string Unit, bool Unlimited = false);

/// <summary>Another entity holds these benefits (EB01 U or W on the chosen service types).</summary>
/// <param name="Name">The related entity's name (2120C NM1), when sent.</param>
/// <param name="Phone">Its telephone (PER), or a number found in the message.</param>
/// <param name="ServiceType">The service type code the carve-out row is on.</param>
/// <param name="Message">The row's MSG text, when sent.</param>
/// <param name="EntityId">The member's ID at the entity, when the answer gives one (2120C NM109, JSON <c>entityIdentificationValue</c>, with qualifier MI or none; a payer ID or NPI there is not taken).</param>
public sealed record CarveOut(string? Name, string? Phone, string ServiceType, string? Message, string? EntityId = null)
{
    /// <summary>The administrator's payer ID, when the service has it configured (http-api.md "Carve-outs"); null otherwise.</summary>
    public string? PayerId { get; init; }

    /// <summary>The linked verification to the administrator, when one was made.</summary>
    public Guid? VerificationId { get; init; }

    /// <summary>The linked verification's status, read when the answer is shown.</summary>
    public string? Status { get; init; }
}

/// <summary>Whose benefits a coverage's tiers are (a carve-out administrator's, http-api.md "Carve-outs").</summary>
/// <param name="PayerId">The administrator's payer ID.</param>
/// <param name="Name">Its name.</param>
public sealed record BenefitsSource(string PayerId, string Name);

/// <summary>How a rejection should be handled.</summary>
public enum AaaClass
{
    /// <summary>42, 80, 04, or follow-up R/P: retried by the worker with backoff.</summary>
    Transient,

    /// <summary>15, 33, 43, 44, 56–58, 60–65, 67, 71–78: a person must correct the data.</summary>
    CorrectData,

    /// <summary>41, 50, 51, 52, 79, T4: configuration or enrolment; alert operations.</summary>
    Configuration,

    /// <summary>53, 54, 55: the service type asked does not fit; ask again with 30.</summary>
    BenefitMismatch,

    /// <summary>Any other code.</summary>
    Other,
}

/// <summary>A payer rejection (AAA), classed.</summary>
/// <param name="Code">AAA03 reject reason, e.g. <c>75</c>.</param>
/// <param name="Description">E.g. "Subscriber/Insured Not Found".</param>
/// <param name="FollowUpAction">AAA04 as text, e.g. "Please Correct and Resubmit".</param>
/// <param name="FollowUpActionCode">AAA04 code, e.g. <c>C</c>, when known.</param>
/// <param name="Location">Where it was: e.g. "Loop 2100C".</param>
/// <param name="Class">How to handle it.</param>
/// <param name="Retryable">True only for the transient class.</param>
public sealed record AaaError(
    string Code,
    string? Description,
    string? FollowUpAction,
    string? FollowUpActionCode,
    string? Location,
    AaaClass Class,
    bool Retryable);
