using System.Globalization;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>A batch's report: one row per census record, in input order, and the changes since the previous run.</summary>
/// <param name="BatchId">The batch the report is about.</param>
/// <param name="SourceName">The census file name as uploaded, if known (shown in the report header).</param>
/// <param name="GeneratedAt">When the report was made (from <see cref="TimeProvider"/>).</param>
/// <param name="Rows">Every census record, rejected ones included, in input order.</param>
/// <param name="Changes">Differences from the previous run of the same census, if there was one.</param>
/// <param name="PreviousRunAt">When that previous run was made; null when this is the first.</param>
internal sealed record BatchReport(
    string BatchId,
    string? SourceName,
    DateTimeOffset GeneratedAt,
    IReadOnlyList<BatchReportRow> Rows,
    IReadOnlyList<BatchChange> Changes,
    DateTimeOffset? PreviousRunAt = null)
{
    private IReadOnlyList<PayerSummary>? _summary;

    /// <summary>The summary by payer, ordered by payer ID, computed from <see cref="Rows"/>.</summary>
    public IReadOnlyList<PayerSummary> Summary => _summary ??= PayerSummary.FromRows(Rows);

    /// <summary>All payers together.</summary>
    public PayerSummary Total => PayerSummary.Sum(Summary);
}

/// <summary>The statuses a report row can have: those of a verification, plus <see cref="Rejected"/> for a bad census record.</summary>
internal static class BatchRowStatus
{
    public const string Queued = "queued";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string NeedsReview = "needs-review";
    public const string Rejected = "rejected";

    /// <summary>
    /// Progress only, never a row's status: a queued row whose payer could not answer at its last attempt (outage,
    /// timeout, throttling, AAA 42/80, breaker open). It does not hold the batch: the batch is complete without it.
    /// </summary>
    public const string WaitingForPayer = "waiting-for-payer";
}

/// <summary>Where a patient's coverage stands; every row has exactly one standing, so the counts add up to the patients.</summary>
internal enum CoverageStanding
{
    /// <summary>Covered today, through the end of the program as far as the payer says.</summary>
    Active,

    /// <summary>Covered today, but the plan ends before the program does.</summary>
    EndsBeforeProgram,

    /// <summary>The payer says coverage is not active.</summary>
    Ended,

    /// <summary>The payer could not be asked or its answer needs a person (failed, needs-review, or no active flag).</summary>
    NeedsReview,

    /// <summary>Queued or in progress: no answer yet.</summary>
    Pending,

    /// <summary>
    /// Covered, but the behavioural-health benefits are administered by someone else who was not verified: not
    /// "active" with $0/$0, because nothing was estimated (#19).
    /// </summary>
    CarvedOut,

    /// <summary>The census record was rejected.</summary>
    Rejected,
}

/// <summary>
/// One line of the report. The benefit figures are in-network, individual; a null figure is one the payer
/// did not give (or that is not known yet), never a zero.
/// </summary>
internal sealed record BatchReportRow
{
    /// <summary>The physical line of the census where the record starts.</summary>
    public required int Line { get; init; }

    public string? PatientRef { get; init; }

    /// <summary>A <see cref="BatchRowStatus"/> value.</summary>
    public required string Status { get; init; }

    public bool? Active { get; init; }

    public string? PayerId { get; init; }

    public string? PayerName { get; init; }

    public string? PlanName { get; init; }

    public DateOnly? ProgramStart { get; init; }

    public DateOnly? ProgramEnd { get; init; }

    /// <summary>The plan's end date, when the payer gives one.</summary>
    public DateOnly? CoverageEnd { get; init; }

    /// <summary>Other or additional payers the answer names (EB01 R), in words, "; "-separated; null when none (#15).</summary>
    public string? OtherCoverage { get; init; }

    /// <summary>Behavioural-health care the payer says is not covered (EB01 I): "in network", "out of network" or both; null when it says nothing of the kind (#15).</summary>
    public string? NonCovered { get; init; }

    /// <summary>The payer contract the row's estimate used, as <c>id (matchedOn)</c>; empty when none matched (#17).</summary>
    public string? Contract { get; init; }

    /// <summary>Whom the row is about on the plan: <c>self</c>, <c>spouse</c>, <c>child</c> or <c>other</c> (#16).</summary>
    public string? Relationship { get; init; }

    /// <summary>How the payer was asked in the end: <c>subscriber</c> or <c>dependent</c> (http-api.md <c>inquiry.sentAs</c>).</summary>
    public string? SentAs { get; init; }

    /// <summary>The behavioural-health administrator (carve-out) the answer names, and whether its benefits were used (#16).</summary>
    public string? Administrator { get; init; }

    public decimal? DeductibleTotal { get; init; }

    public decimal? DeductibleRemaining { get; init; }

    public decimal? OutOfPocketRemaining { get; init; }

    public decimal? CopayPerDay { get; init; }

    /// <summary>The patient's share in percent (20 means 20 %).</summary>
    public decimal? CoinsurancePercent { get; init; }

    public bool? PriorAuthorizationRequired { get; init; }

    public decimal? EstimatedPatientTotal { get; init; }

    public decimal? EstimatedPayerTotal { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorDescription { get; init; }

    /// <summary>The part of <see cref="EstimatedPatientTotal"/> that is self-pay (days the payer does not cover at all); null without an estimate.</summary>
    public decimal? EstimatedSelfPayTotal { get; init; }

    /// <summary>The patient's cost sharing under the plan: the patient total less self-pay; null without an estimate.</summary>
    public decimal? EstimatedCostShareTotal => EstimatedPatientTotal is { } patient ? patient - (EstimatedSelfPayTotal ?? 0m) : null;

    /// <summary>The answer names a behavioural-health administrator whose own benefits were not used (#16, #19).</summary>
    public bool CarvedOut { get; init; }

    /// <summary>What finance must know about the row, in words, "; "-separated (#19); null when nothing.</summary>
    public string? Flags { get; init; }

    /// <summary>Attempts made so far; null for a rejected record.</summary>
    public int? Attempts { get; init; }

    /// <summary>When a row queued again after an attempt is tried next (UTC); null when it is not retrying.</summary>
    public DateTimeOffset? NextTryAt { get; init; }

    /// <summary>Why and until when a row is retrying, in words ("waiting for payer X (id): …, next try at …"); null when it is not.</summary>
    public string? Retrying { get; init; }

    /// <summary>True when the plan ends before the last day of the program; null when either date is unknown.</summary>
    public bool? EndsBeforeProgram => CoverageEnd is { } end && ProgramEnd is { } programEnd ? end < programEnd : null;

    public CoverageStanding Standing => Status switch
    {
        BatchRowStatus.Rejected => CoverageStanding.Rejected,
        BatchRowStatus.Queued or BatchRowStatus.InProgress => CoverageStanding.Pending,
        BatchRowStatus.Completed when Active == false => CoverageStanding.Ended,
        BatchRowStatus.Completed when Active == true && CarvedOut => CoverageStanding.CarvedOut,
        BatchRowStatus.Completed when Active == true && EndsBeforeProgram == true => CoverageStanding.EndsBeforeProgram,
        BatchRowStatus.Completed when Active == true => CoverageStanding.Active,
        _ => CoverageStanding.NeedsReview,
    };

    /// <summary>The report line of a census record that was rejected.</summary>
    public static BatchReportRow Rejected(CensusRowError error) => new()
    {
        Line = error.Line,
        PatientRef = error.PatientRef,
        Status = BatchRowStatus.Rejected,
        ErrorCode = error.Code,
        ErrorDescription = error.Reason,
    };
}

/// <summary>One payer's share of a batch. The amounts are exactly the sums of the rows' amounts (unknown counts as nothing).</summary>
/// <param name="PayerId">The payer, or empty for rows without one.</param>
/// <param name="PayerName">The payer's name, when any row carries it.</param>
/// <param name="Patients">Rows for this payer.</param>
/// <param name="Active">Covered today (including those whose plan ends before the program; carved-out rows are not).</param>
/// <param name="EndsBeforeProgram">Covered today but not to the end of the program (a subset of <paramref name="Active"/>).</param>
/// <param name="Ended">Coverage not active.</param>
/// <param name="NeedsReview">No usable answer: failed, needs-review, or no active flag.</param>
/// <param name="Pending">Still queued or in progress.</param>
/// <param name="Rejected">Census records rejected.</param>
/// <param name="ExpectedPatientTotal">
/// Sum of the rows' expected patient cost sharing under this payer's plans (deductible, copay, coinsurance, balance
/// bill): the estimated patient totals less self-pay, which is not the payer's (#19).
/// </param>
/// <param name="ExpectedPayerTotal">Sum of the rows' estimated payer totals.</param>
/// <param name="CarvedOut">Covered, with the behavioural-health benefits at an administrator not verified: no estimate.</param>
/// <param name="ExpectedSelfPayTotal">Sum of the rows' self-pay: days no plan pays for (coverage ended or not active, not covered, visit limit reached).</param>
internal sealed record PayerSummary(
    string PayerId,
    string? PayerName,
    int Patients,
    int Active,
    int EndsBeforeProgram,
    int Ended,
    int NeedsReview,
    int Pending,
    int Rejected,
    decimal ExpectedPatientTotal,
    decimal ExpectedPayerTotal,
    int CarvedOut = 0,
    decimal ExpectedSelfPayTotal = 0m)
{
    public static IReadOnlyList<PayerSummary> FromRows(IEnumerable<BatchReportRow> rows) =>
        rows.GroupBy(r => r.PayerId ?? string.Empty, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new PayerSummary(
                g.Key,
                g.Select(r => r.PayerName).FirstOrDefault(n => !string.IsNullOrEmpty(n)),
                g.Count(),
                g.Count(r => r.Standing is CoverageStanding.Active or CoverageStanding.EndsBeforeProgram),
                g.Count(r => r.Standing == CoverageStanding.EndsBeforeProgram),
                g.Count(r => r.Standing == CoverageStanding.Ended),
                g.Count(r => r.Standing == CoverageStanding.NeedsReview),
                g.Count(r => r.Standing == CoverageStanding.Pending),
                g.Count(r => r.Standing == CoverageStanding.Rejected),
                g.Sum(r => r.EstimatedCostShareTotal ?? 0m),
                g.Sum(r => r.EstimatedPayerTotal ?? 0m),
                g.Count(r => r.Standing == CoverageStanding.CarvedOut),
                g.Sum(r => r.EstimatedSelfPayTotal ?? 0m)))
            .ToList();

    public static PayerSummary Sum(IEnumerable<PayerSummary> summaries)
    {
        var all = summaries.ToList();
        return new PayerSummary(
            "all payers",
            null,
            all.Sum(s => s.Patients),
            all.Sum(s => s.Active),
            all.Sum(s => s.EndsBeforeProgram),
            all.Sum(s => s.Ended),
            all.Sum(s => s.NeedsReview),
            all.Sum(s => s.Pending),
            all.Sum(s => s.Rejected),
            all.Sum(s => s.ExpectedPatientTotal),
            all.Sum(s => s.ExpectedPayerTotal),
            all.Sum(s => s.CarvedOut),
            all.Sum(s => s.ExpectedSelfPayTotal));
    }

    /// <summary>The label a person reads: the name when known, else the ID.</summary>
    public string Label => string.IsNullOrEmpty(PayerName) ? (PayerId.Length == 0 ? "(no payer)" : PayerId) : PayerName;
}

/// <summary>What kind of difference a <see cref="BatchChange"/> is.</summary>
internal enum BatchChangeKind
{
    NewPatient,
    PatientRemoved,
    CoverageEnded,
    CoverageReinstated,
    CoverageEndChanged,
    PlanChanged,
    DeductibleProgressed,
    DeductibleReset,
    OutOfPocketChanged,
    EstimateChanged,
    StatusChanged,
}

/// <summary>A difference for one patient between the previous run of a census and this one.</summary>
/// <param name="PatientRef">The patient the change is about.</param>
/// <param name="Kind">What changed.</param>
/// <param name="Before">The previous value, formatted (invariant culture); null when there was none.</param>
/// <param name="After">The value now, formatted; null when there is none.</param>
internal sealed record BatchChange(string PatientRef, BatchChangeKind Kind, string? Before, string? After)
{
    /// <summary>The kind as the reports spell it: <c>coverage-ended</c>, <c>deductible-progressed</c>, ...</summary>
    public string KindName => Kind switch
    {
        BatchChangeKind.NewPatient => "new-patient",
        BatchChangeKind.PatientRemoved => "patient-removed",
        BatchChangeKind.CoverageEnded => "coverage-ended",
        BatchChangeKind.CoverageReinstated => "coverage-reinstated",
        BatchChangeKind.CoverageEndChanged => "coverage-end-changed",
        BatchChangeKind.PlanChanged => "plan-changed",
        BatchChangeKind.DeductibleProgressed => "deductible-progressed",
        BatchChangeKind.DeductibleReset => "deductible-reset",
        BatchChangeKind.OutOfPocketChanged => "out-of-pocket-changed",
        BatchChangeKind.EstimateChanged => "estimate-changed",
        BatchChangeKind.StatusChanged => "status-changed",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null),
    };

    /// <summary>
    /// The changes from <paramref name="previous"/> to <paramref name="current"/>, matched by patient_ref
    /// (case-insensitive): in the current input order, then patients no longer present.
    /// Benefit figures are compared only when both runs know them.
    /// </summary>
    public static IReadOnlyList<BatchChange> Compare(IEnumerable<BatchReportRow> previous, IEnumerable<BatchReportRow> current)
    {
        var before = new Dictionary<string, BatchReportRow>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in previous)
        {
            if (row.PatientRef is { } key)
            {
                before.TryAdd(key, row);
            }
        }

        var changes = new List<BatchChange>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var now in current)
        {
            if (now.PatientRef is not { } key || !seen.Add(key))
            {
                continue;
            }

            if (!before.TryGetValue(key, out var then))
            {
                changes.Add(new BatchChange(key, BatchChangeKind.NewPatient, null, now.Status));
                continue;
            }

            CompareRow(key, then, now, changes);
        }

        foreach (var (key, then) in before)
        {
            if (!seen.Contains(key))
            {
                changes.Add(new BatchChange(key, BatchChangeKind.PatientRemoved, then.Status, null));
            }
        }

        return changes;
    }

    private static void CompareRow(string key, BatchReportRow then, BatchReportRow now, List<BatchChange> changes)
    {
        if (then.Status != now.Status && (then.Status != BatchRowStatus.Completed || now.Status != BatchRowStatus.Completed))
        {
            changes.Add(new BatchChange(key, BatchChangeKind.StatusChanged, then.Status, now.Status));
        }

        if (then.Active == true && now.Active == false)
        {
            changes.Add(new BatchChange(key, BatchChangeKind.CoverageEnded, "active", "inactive"));
        }
        else if (then.Active == false && now.Active == true)
        {
            changes.Add(new BatchChange(key, BatchChangeKind.CoverageReinstated, "inactive", "active"));
        }

        var planBefore = Plan(then);
        var planAfter = Plan(now);
        if (then.PayerId is not null && now.PayerId is not null && !string.Equals(planBefore, planAfter, StringComparison.Ordinal))
        {
            changes.Add(new BatchChange(key, BatchChangeKind.PlanChanged, planBefore, planAfter));
        }

        if (then.CoverageEnd != now.CoverageEnd && then.Status == BatchRowStatus.Completed && now.Status == BatchRowStatus.Completed)
        {
            changes.Add(new BatchChange(key, BatchChangeKind.CoverageEndChanged, Format(then.CoverageEnd), Format(now.CoverageEnd)));
        }

        if (then.DeductibleRemaining is { } dBefore && now.DeductibleRemaining is { } dAfter && dBefore != dAfter)
        {
            changes.Add(new BatchChange(key, dAfter < dBefore ? BatchChangeKind.DeductibleProgressed : BatchChangeKind.DeductibleReset, Format(dBefore), Format(dAfter)));
        }

        if (then.OutOfPocketRemaining is { } oBefore && now.OutOfPocketRemaining is { } oAfter && oBefore != oAfter)
        {
            changes.Add(new BatchChange(key, BatchChangeKind.OutOfPocketChanged, Format(oBefore), Format(oAfter)));
        }

        if (then.EstimatedPatientTotal is { } eBefore && now.EstimatedPatientTotal is { } eAfter && eBefore != eAfter)
        {
            changes.Add(new BatchChange(key, BatchChangeKind.EstimateChanged, Format(eBefore), Format(eAfter)));
        }
    }

    private static string Plan(BatchReportRow row) => row.PlanName is { Length: > 0 } plan ? $"{row.PayerId} {plan}" : row.PayerId ?? string.Empty;

    private static string? Format(decimal? amount) => amount?.ToString("0.00", CultureInfo.InvariantCulture);

    private static string? Format(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
