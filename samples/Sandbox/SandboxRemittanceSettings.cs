namespace CoverageCheck.Sandbox;

/// <summary>
/// How the sandbox payer pays: the payment date (BPR16, DTM*405, and the ISA/GS dates), the trace number, the envelope
/// control number, the payee, and the allowed amount per IOP day by payer. Nothing here reads a clock.
/// </summary>
/// <param name="PaymentDate">The effective payment date (BPR16) and production date (DTM*405).</param>
public sealed record SandboxRemittanceSettings(DateOnly PaymentDate)
{
    /// <summary>The allowed amount per day for every payer not listed in <see cref="AllowedPerDayByPayer"/>: the service's configured rate.</summary>
    public const decimal DefaultAllowedPerDay = 400.00m;

    /// <summary>
    /// The one deliberate difference from the service's rate: Humana (61101) allows $380.00 a day, so a remittance can
    /// come back lower than the estimate for a reason the reconciliation must show. (Humana rather than Cigna: the only
    /// Cigna member is a behavioural-health carve-out, which this payer denies, so a Cigna rate would never be seen.)
    /// </summary>
    public static IReadOnlyDictionary<string, decimal> DefaultAllowedPerDayByPayer { get; } =
        new Dictionary<string, decimal>(StringComparer.Ordinal) { [SandboxCatalogue.Humana] = 380.00m };

    /// <summary>TRN02 is this followed by <c>-</c> and the payer ID (one payment per payer); CLP07 is this and a claim number.</summary>
    public string TraceNumber { get; init; } = "SBX000001";

    /// <summary>ISA13 (nine digits, zero-padded) and GS06.</summary>
    public int InterchangeControlNumber { get; init; } = 1;

    public decimal AllowedPerDay { get; init; } = DefaultAllowedPerDay;

    public IReadOnlyDictionary<string, decimal> AllowedPerDayByPayer { get; init; } = DefaultAllowedPerDayByPayer;

    /// <summary>N1*PE name.</summary>
    public string PayeeName { get; init; } = "COVERAGECHECK SANDBOX IOP";

    /// <summary>N1*PE NPI (qualifier XX); a check-digit-valid synthetic NPI.</summary>
    public string PayeeNpi { get; init; } = "1234567893";

    /// <summary>REF*TJ: the payee's tax ID (synthetic).</summary>
    public string PayeeTaxId { get; init; } = "990000001";

    /// <summary>The allowed amount per day this payer pays, in cents.</summary>
    public decimal AllowedFor(string payerId) =>
        Math.Round(AllowedPerDayByPayer.TryGetValue(payerId, out var rate) ? rate : AllowedPerDay, 2, MidpointRounding.AwayFromZero);
}
