namespace CoverageCheck.Sandbox;

/// <summary>
/// One claim sent to the sandbox payer: every date of service is one IOP day, billed as a service line
/// <c>HC:H0015</c>, revenue code 0906, one unit, at <paramref name="ChargePerDay"/> (rounded to cents).
/// </summary>
/// <param name="PatientControlNumber">CLP01: the census <c>patient_ref</c> or the verification's <c>patientRef</c> (1–38 characters).</param>
/// <param name="PayerId">The sandbox payer ID (<see cref="SandboxCatalogue"/>).</param>
/// <param name="MemberId">The member ID as on the card; with the payer ID it finds the sandbox member.</param>
/// <param name="FirstName">Patient first name (NM1*QC NM104).</param>
/// <param name="LastName">Patient last name (NM1*QC NM103).</param>
/// <param name="ServiceDates">The IOP days billed, one service line each (no duplicates; any order, adjudicated in date order).</param>
/// <param name="ChargePerDay">Billed charge per day.</param>
public sealed record SandboxClaimRequest(
    string PatientControlNumber,
    string PayerId,
    string MemberId,
    string FirstName,
    string LastName,
    IReadOnlyList<DateOnly> ServiceDates,
    decimal ChargePerDay);

/// <summary>A claim the sandbox issued no remittance for, by its position in the request.</summary>
/// <param name="Index">0-based position in the claims given.</param>
/// <param name="Reason"><c>member-not-found</c> (no such member for that payer) or <c>payer-unknown</c>.</param>
public sealed record SandboxSkippedClaim(int Index, string Reason);

/// <summary>What <see cref="SandboxRemittances.Adjudicate(IReadOnlyList{SandboxClaimRequest}, SandboxRemittanceSettings, SandboxState?)"/> produced.</summary>
/// <param name="Text">The X12 835 interchange; empty when every claim was skipped (an 835 needs at least one claim).</param>
/// <param name="Skipped">Claims not remitted, in request order.</param>
/// <param name="Transactions">ST…SE transactions written: one per payer with at least one remitted claim.</param>
public sealed record SandboxRemittance(string Text, IReadOnlyList<SandboxSkippedClaim> Skipped, int Transactions);

/// <summary>
/// <c>POST /sandbox/remittances</c>: claims to adjudicate and the payment's settings. Omitted settings take the
/// defaults of <see cref="SandboxRemittanceSettings"/>.
/// </summary>
public sealed record SandboxRemittanceRequest(
    DateOnly? PaymentDate,
    IReadOnlyList<SandboxClaimRequest>? Claims,
    string? TraceNumber = null,
    int? InterchangeControlNumber = null,
    decimal? AllowedPerDay = null,
    IReadOnlyDictionary<string, decimal>? AllowedPerDayByPayer = null);
