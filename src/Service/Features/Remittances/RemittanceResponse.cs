using System.Globalization;
using System.Text.Json.Serialization;
using CoverageCheck.Clients.Remittances;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>
/// An uploaded 835 as <c>POST /api/v1/remittances</c> and <c>GET /api/v1/remittances/{id}</c> answer it (http-api.md
/// "Remittances"): every transaction with its payment, and every claim of the file in file order with the
/// verification it matched. Also the encrypted record at rest. PHI: patient control numbers and amounts per patient.
/// </summary>
internal sealed record RemittanceResponse(
    Guid Id,
    DateTimeOffset ReceivedAt,
    IReadOnlyList<RemittanceTransactionDto> Transactions,
    IReadOnlyList<RemittanceClaimDto> Claims,
    IReadOnlyList<string> Unmatched,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Claims matched to a verification.</summary>
    public int Matched => Claims.Count(claim => claim.VerificationId is not null);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RemittanceResponse {{ Id = {Id}, Claims = {Claims.Count} }}");
}

internal sealed record RemittancePartyDto(string? Id, string? Name);

/// <summary>BPR and TRN: the amount paid (BPR02), how (BPR04: ACH, CHK, NON…), the check or EFT trace number (TRN02), the date (BPR16).</summary>
internal sealed record RemittancePaymentDto(decimal? Amount, string? Method, string? TraceNumber, DateOnly? Date);

/// <summary>PLB: the reason (PLB03-1, e.g. WO overpayment recovery, L6 interest), the amount (positive: withheld), and its reference.</summary>
internal sealed record ProviderAdjustmentDto(string Reason, decimal Amount)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reference { get; init; }
}

internal sealed record RemittanceTransactionDto(
    RemittancePartyDto Payer,
    RemittancePartyDto Payee,
    RemittancePaymentDto Payment,
    IReadOnlyList<ProviderAdjustmentDto> ProviderAdjustments,
    IReadOnlyList<RemittanceClaimDto> Claims)
{
    /// <summary>BPR02 equals the claim payments less the provider adjustments.</summary>
    public bool Balances { get; init; }
}

internal sealed record RemittanceAdjustmentDto(string Group, string Reason, decimal Amount);

/// <summary>One service line: procedure (SVC01-2) or revenue code, units (SVC05; 1 when absent), date, billed, allowed (AMT*B6, else derived), paid.</summary>
internal sealed record RemittanceLineDto(
    string? Code,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RevenueCode,
    decimal? Units,
    DateOnly? Date,
    decimal? Billed,
    decimal? Allowed,
    decimal? Paid,
    IReadOnlyList<RemittanceAdjustmentDto> Adjustments)
{
    /// <summary><c>AMT*B6</c> when the payer stated it, <c>derived</c> when it is billed less the adjustments that are not the patient's.</summary>
    public string AllowedSource { get; init; } = "AMT*B6";
}

/// <summary>
/// One claim (CLP): status (1–3 processed, 4 denied, 22 reversal), billed, paid and the patient's responsibility split
/// by reason (PR 1 deductible, 2 coinsurance, 3 copay, other), its lines and claim-level adjustments, and the
/// verification it was matched to (by patient control number, else by member ID and service dates), or none.
/// </summary>
internal sealed record RemittanceClaimDto(
    string PatientControlNumber,
    string? Status,
    decimal? Billed,
    decimal? Paid,
    decimal PatientResponsibility,
    string? PayerClaimNumber,
    decimal Deductible,
    decimal Coinsurance,
    decimal Copay,
    decimal OtherPatientResponsibility,
    IReadOnlyList<RemittanceLineDto> Lines,
    IReadOnlyList<RemittanceAdjustmentDto> Adjustments)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Guid? VerificationId { get; init; }

    /// <summary><c>patient-control-number</c> or <c>member-id</c>; null when unmatched.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? MatchedBy { get; init; }

    /// <summary>The payer ID of the transaction (N1*PR N104, else REF*2U).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PayerId { get; init; }

    /// <summary>The first and last service date of the claim's lines (else its statement dates).</summary>
    public DateOnly? ServiceFrom { get; init; }

    public DateOnly? ServiceTo { get; init; }

    /// <summary>Days of service: the distinct line dates.</summary>
    public int Days { get; init; }

    /// <summary><c>processed</c>, <c>denied</c>, <c>reversal</c> or <c>other</c>, from CLP02.</summary>
    public string StatusText => Status switch
    {
        "1" or "2" or "3" or "19" or "20" or "21" => "processed",
        "4" => "denied",
        "22" => "reversal",
        _ => "other",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RemittanceClaimDto {{ Status = {Status}, Lines = {Lines.Count} }}");
}

/// <summary>Maps what <see cref="X835Reader"/> read to the wire contract.</summary>
internal static class RemittanceMapping
{
    public static RemittanceAdjustmentDto ToDto(this RemittanceAdjustment adjustment) => new(adjustment.Group, adjustment.Reason, adjustment.Amount);

    public static RemittanceLineDto ToDto(this RemittanceServiceLine line) => new(
        line.Qualifier == "NU" ? null : line.Code,
        line.RevenueCodeBilled,
        decimal.TryParse(line.UnitsPaid, NumberStyles.Number, CultureInfo.InvariantCulture, out var units) ? units : line.UnitsPaid is null ? 1m : null,
        line.From,
        line.Billed,
        line.Allowed,
        line.Paid,
        [.. line.Adjustments.Select(ToDto)])
    {
        AllowedSource = line.AllowedSource,
    };

    public static RemittanceClaimDto ToDto(this RemittanceClaim claim, string? payerId)
    {
        var share = claim.PatientShare;
        var dates = claim.Lines.Where(line => line.From is not null).Select(line => line.From!.Value).Distinct().Order().ToList();
        return new RemittanceClaimDto(
            claim.PatientControlNumber,
            claim.Status,
            claim.Billed,
            claim.Paid,
            claim.PatientResponsibilityStated ?? share.Total,
            claim.PayerClaimNumber,
            share.Deductible,
            share.Coinsurance,
            share.Copay,
            share.Other.Sum(a => a.Amount),
            [.. claim.Lines.Select(ToDto)],
            [.. claim.Adjustments.Select(ToDto)])
        {
            PayerId = payerId,
            ServiceFrom = dates.Count > 0 ? dates[0] : claim.StatementFrom,
            ServiceTo = dates.Count > 0 ? dates[^1] : claim.StatementTo ?? claim.StatementFrom,
            Days = dates.Count,
        };
    }

    /// <summary>The transaction's payer ID as the program's payer table names payers: N1*PR N104, else REF*2U.</summary>
    public static string? PayerIdOf(RemittanceTransaction transaction) =>
        transaction.Payer.Id is { Length: > 0 } id ? id : transaction.Payer.AdditionalId;

    public static RemittanceTransactionDto ToDto(this RemittanceTransaction transaction, IReadOnlyList<RemittanceClaimDto> claims) => new(
        new RemittancePartyDto(PayerIdOf(transaction), transaction.Payer.Name),
        new RemittancePartyDto(transaction.Payee.Id, transaction.Payee.Name),
        new RemittancePaymentDto(transaction.Payment.Amount, transaction.Payment.Method, transaction.TraceNumber, transaction.Payment.Date),
        [.. transaction.ProviderAdjustments.Select(a => new ProviderAdjustmentDto(a.Reason, a.Amount) { Reference = a.Reference })],
        claims)
    {
        Balances = transaction.Balances,
    };

    /// <summary>Warnings as "segment 14 (CLP), element 3: …"; the reader never puts a name or member ID in one.</summary>
    public static IReadOnlyList<string> Warnings(IEnumerable<X12Issue> issues) =>
        [.. issues.Where(issue => issue.Severity != X12IssueSeverity.Error).Select(issue => issue.ToString())];
}
