namespace CoverageCheck.Service.Features.Batches;

/// <summary>How a report column's values are typed in a workbook and formatted in text.</summary>
internal enum ReportValueKind
{
    Text,
    Integer,
    Money,
    Percent,
    Boolean,
    Date,
}

/// <summary>One column of the per-row report: its name (the CSV header), type, width in a workbook, and value.</summary>
internal sealed record BatchReportColumn(string Name, ReportValueKind Kind, double Width, Func<BatchReportRow, object?> Value);

/// <summary>
/// The per-row report's columns: first the ones <c>http-api.md</c> promises, in that order, then the extras.
/// Every writer uses this one list, so CSV, workbook and HTML agree.
/// </summary>
internal static class BatchReportColumns
{
    public static IReadOnlyList<BatchReportColumn> All { get; } =
    [
        new("patient_ref", ReportValueKind.Text, 16, r => r.PatientRef),
        new("status", ReportValueKind.Text, 13, r => r.Status),
        new("active", ReportValueKind.Boolean, 8, r => r.Active),
        new("payer_id", ReportValueKind.Text, 10, r => r.PayerId),
        new("deductible_remaining", ReportValueKind.Money, 14, r => r.DeductibleRemaining),
        new("out_of_pocket_remaining", ReportValueKind.Money, 14, r => r.OutOfPocketRemaining),
        new("copay_per_day", ReportValueKind.Money, 12, r => r.CopayPerDay),
        new("coinsurance_percent", ReportValueKind.Percent, 12, r => r.CoinsurancePercent),
        new("prior_authorization_required", ReportValueKind.Boolean, 12, r => r.PriorAuthorizationRequired),
        new("estimated_patient_total", ReportValueKind.Money, 14, r => r.EstimatedPatientTotal),
        new("estimated_payer_total", ReportValueKind.Money, 14, r => r.EstimatedPayerTotal),
        new("error_code", ReportValueKind.Text, 18, r => r.ErrorCode),
        new("error_description", ReportValueKind.Text, 60, r => r.ErrorDescription),
        new("line", ReportValueKind.Integer, 7, r => r.Line),
        new("payer_name", ReportValueKind.Text, 24, r => r.PayerName),
        new("plan_name", ReportValueKind.Text, 24, r => r.PlanName),
        new("program_start", ReportValueKind.Date, 12, r => r.ProgramStart),
        new("program_end", ReportValueKind.Date, 12, r => r.ProgramEnd),
        new("coverage_end", ReportValueKind.Date, 12, r => r.CoverageEnd),
        new("ends_before_program", ReportValueKind.Boolean, 12, r => r.EndsBeforeProgram),
        new("deductible_total", ReportValueKind.Money, 14, r => r.DeductibleTotal),
        new("other_coverage", ReportValueKind.Text, 30, r => r.OtherCoverage),
        new("non_covered", ReportValueKind.Text, 18, r => r.NonCovered),
        new("contract", ReportValueKind.Text, 24, r => r.Contract),
        new("relationship", ReportValueKind.Text, 12, r => r.Relationship),
        new("sent_as", ReportValueKind.Text, 12, r => r.SentAs),
        new("administrator", ReportValueKind.Text, 30, r => r.Administrator),
        new("flags", ReportValueKind.Text, 50, r => r.Flags),
        new("estimated_self_pay_total", ReportValueKind.Money, 14, r => r.EstimatedSelfPayTotal),
        new("estimated_cost_share_total", ReportValueKind.Money, 14, r => r.EstimatedCostShareTotal),
        new("attempts", ReportValueKind.Integer, 9, r => r.Attempts),
        new("retrying", ReportValueKind.Text, 50, r => r.Retrying),
        new("next_try_at", ReportValueKind.Text, 22, r => r.NextTryAt?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
