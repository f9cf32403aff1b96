using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Remittances;

/// <summary>
/// An X12 835 (health care claim payment/advice, 005010X221A1; 4010 read with a warning) as read by
/// <see cref="X835Reader"/>: every transaction of every interchange, with the issues found. Claims name patients: PHI.
/// </summary>
public sealed record Remittance(IReadOnlyList<RemittanceTransaction> Transactions, IReadOnlyList<X12Issue> Issues)
{
    /// <summary>True when at least one 835 transaction was read and no structural error was found.</summary>
    public bool IsReadable => Transactions.Count > 0 && Issues.All(issue => issue.Severity != X12IssueSeverity.Error);

    public override string ToString() => $"Remittance {{ Transactions = {Transactions.Count}, Issues = {Issues.Count} }}";
}

/// <summary>One 835 transaction (ST…SE): one payment (BPR/TRN) from a payer to a payee, its claims and provider adjustments.</summary>
public sealed record RemittanceTransaction(
    string? ControlNumber,
    string? Version,
    RemittanceParty Payer,
    RemittanceParty Payee,
    RemittancePayment Payment,
    string? TraceNumber,
    string? TraceOriginator,
    IReadOnlyList<RemittanceClaim> Claims,
    IReadOnlyList<ProviderAdjustment> ProviderAdjustments)
{
    /// <summary>Sum of CLP04 (claim payments).</summary>
    public decimal SumPaid => Claims.Sum(claim => claim.Paid ?? 0m);

    /// <summary>Sum of the PLB amounts (positive: withheld from the provider; negative: paid in addition).</summary>
    public decimal SumProviderAdjustments => ProviderAdjustments.Sum(adjustment => adjustment.Amount);

    /// <summary>What BPR02 should be: the claim payments less the provider adjustments.</summary>
    public decimal ExpectedPaymentAmount => SumPaid - SumProviderAdjustments;

    /// <summary>BPR02 equals the claim payments less the provider adjustments (a warning, never a refusal, when not).</summary>
    public bool Balances => Payment.Amount == ExpectedPaymentAmount;
}

/// <summary>A payer (N1*PR) or payee (N1*PE): name, identifier and its qualifier, and the additional ID (REF*2U / REF*TJ).</summary>
public sealed record RemittanceParty(string? Name, string? IdQualifier, string? Id, string? AdditionalId);

/// <summary>BPR: handling code, amount, credit or debit, method (ACH, CHK, NON…), format and the effective date (BPR16).</summary>
public sealed record RemittancePayment(string? Handling, decimal? Amount, string? CreditDebit, string? Method, string? Format, DateOnly? Date);

/// <summary>
/// One claim (CLP with its CAS, NM1, DTM, AMT and service lines). Status CLP02: 1–3 processed, 4 denied, 22 a reversal
/// of a previous payment. Patient name and member ID are PHI.
/// </summary>
public sealed record RemittanceClaim(
    string PatientControlNumber,
    string? Status,
    decimal? Billed,
    decimal? Paid,
    decimal? PatientResponsibilityStated,
    string? FilingIndicator,
    string? PayerClaimNumber,
    string? FacilityType,
    string? Frequency,
    IReadOnlyList<RemittanceAdjustment> Adjustments,
    IReadOnlyList<RemittanceServiceLine> Lines)
{
    public string? PatientLastName { get; init; }
    public string? PatientFirstName { get; init; }
    public string? MemberId { get; init; }
    public DateOnly? StatementFrom { get; init; }
    public DateOnly? StatementTo { get; init; }

    public bool IsReversal => Status == "22";

    public bool IsDenial => Status == "4";

    /// <summary>What the patient owes, from group PR at claim and line level, split by reason (1 deductible, 2 coinsurance, 3 copay).</summary>
    public PatientShare PatientShare => PatientShare.Of([.. Adjustments, .. Lines.SelectMany(line => line.Adjustments)]);

    /// <summary>CLP03 less every claim- and line-level adjustment equals CLP04.</summary>
    public bool Balances => Billed - Adjustments.Sum(a => a.Amount) - Lines.Sum(line => line.Adjustments.Sum(a => a.Amount)) == Paid;

    public override string ToString() => $"RemittanceClaim {{ Status = {Status}, Lines = {Lines.Count} }}";
}

/// <summary>One CAS adjustment: group (CO, PR, OA, PI, CR), reason code (CARC), amount and quantity.</summary>
public sealed record RemittanceAdjustment(string Group, string Reason, decimal Amount, decimal? Quantity = null);

/// <summary>
/// One service line (SVC with its DTM, CAS and AMT): the procedure (qualifier, code, modifiers) or revenue code, billed,
/// paid, units paid (SVC05, as sent) and original units (SVC07), dates, and the allowed amount (AMT*B6 when sent).
/// </summary>
public sealed record RemittanceServiceLine(
    string? Qualifier,
    string? Code,
    IReadOnlyList<string> Modifiers,
    string? RevenueCode,
    decimal? Billed,
    decimal? Paid,
    string? UnitsPaid,
    string? UnitsOriginal,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<RemittanceAdjustment> Adjustments,
    decimal? AllowedStated)
{
    /// <summary>AMT*B6 when the payer sent it, else billed less every adjustment that is not the patient's.</summary>
    public decimal? Allowed => AllowedStated ?? (Billed is { } billed ? billed - Adjustments.Where(a => a.Group != "PR").Sum(a => a.Amount) : null);

    /// <summary>The revenue code: SVC04, or the code of a line billed by revenue code alone (SVC01 <c>NU:0905</c>).</summary>
    public string? RevenueCodeBilled => RevenueCode ?? (Qualifier == "NU" ? Code : null);

    /// <summary><c>AMT*B6</c> or <c>derived</c>.</summary>
    public string AllowedSource => AllowedStated is null ? "derived" : "AMT*B6";

    public PatientShare PatientShare => PatientShare.Of(Adjustments);

    /// <summary>SVC02 less the line's adjustments equals SVC03.</summary>
    public bool Balances => Billed - Adjustments.Sum(a => a.Amount) == Paid;
}

/// <summary>Group PR split by CARC: 1 deductible, 2 coinsurance, 3 copay, everything else other.</summary>
public sealed record PatientShare(decimal Deductible, decimal Coinsurance, decimal Copay, IReadOnlyList<RemittanceAdjustment> Other)
{
    public decimal Total => Deductible + Coinsurance + Copay + Other.Sum(a => a.Amount);

    public static PatientShare Of(IEnumerable<RemittanceAdjustment> adjustments)
    {
        decimal deductible = 0, coinsurance = 0, copay = 0;
        var other = new List<RemittanceAdjustment>();
        foreach (var adjustment in adjustments.Where(a => a.Group == "PR"))
        {
            switch (adjustment.Reason)
            {
                case "1": deductible += adjustment.Amount; break;
                case "2": coinsurance += adjustment.Amount; break;
                case "3": copay += adjustment.Amount; break;
                default: other.Add(adjustment); break;
            }
        }

        return new PatientShare(deductible, coinsurance, copay, other);
    }
}

/// <summary>A provider-level adjustment (PLB): provider, fiscal period date, reason (PLB03-1), its reference (PLB03-2), amount.</summary>
public sealed record ProviderAdjustment(string? Provider, DateOnly? FiscalPeriodDate, string Reason, string? Reference, decimal Amount);
