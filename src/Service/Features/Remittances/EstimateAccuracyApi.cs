using System.Globalization;
using System.Security.Claims;
using System.Text;
using ClosedXML.Excel;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>
/// <c>GET /api/v1/reports/estimate-accuracy</c> (JSON) and <c>.csv</c> / <c>.xlsx</c> (finance): the report of
/// <see cref="EstimateAccuracyService"/> for claims whose first service date is in <c>from</c>..<c>to</c> (default:
/// the last 90 days, today in Program:TimeZone).
/// </summary>
internal static class EstimateAccuracyApi
{
    private const int MaxDays = 731;

    public static IEndpointRouteBuilder MapEstimateAccuracyApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/reports")
            .WithTags("Reports")
            .RequireAuthorization(Policies.Remittances);
        group.MapGet("/estimate-accuracy", JsonAsync)
            .WithSummary("Estimates against remittances: per patient, per payer and per contract; the allowed amount per day observed; Good Faith Estimates exceeded by $400 or more.");
        group.MapGet("/estimate-accuracy.{format}", FileAsync)
            .WithSummary("The estimate-accuracy report as estimate-accuracy.csv (patients) or estimate-accuracy.xlsx (patients, by payer, by contract, Good Faith Estimates).");
        return endpoints;
    }

    internal static async Task<Results<Ok<EstimateAccuracyReport>, ValidationProblem>> JsonAsync(
        ClaimsPrincipal user, EstimateAccuracyService accuracy, ProgramTime clock, CancellationToken cancellationToken, string? from = null, string? to = null)
    {
        if (Period(from, to, clock) is not { } period)
        {
            return Invalid(from, to);
        }

        return TypedResults.Ok(await accuracy.BuildAsync(period.From, period.To, AccessContext.For(user, "estimate accuracy report"), cancellationToken));
    }

    internal static async Task<Results<FileContentHttpResult, NotFound, ValidationProblem>> FileAsync(
        string format, ClaimsPrincipal user, EstimateAccuracyService accuracy, ProgramTime clock, CancellationToken cancellationToken, string? from = null, string? to = null)
    {
        if (format is not ("csv" or "xlsx"))
        {
            return TypedResults.NotFound();
        }

        if (Period(from, to, clock) is not { } period)
        {
            return Invalid(from, to);
        }

        var report = await accuracy.BuildAsync(period.From, period.To, AccessContext.For(user, "estimate accuracy report"), cancellationToken);
        var name = string.Create(CultureInfo.InvariantCulture, $"estimate-accuracy-{period.From:yyyy-MM-dd}-{period.To:yyyy-MM-dd}.{format}");
        return format == "csv"
            ? TypedResults.File(await EstimateAccuracyFiles.CsvAsync(report), "text/csv; charset=utf-8", name)
            : TypedResults.File(EstimateAccuracyFiles.Xlsx(report), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    internal static (DateOnly From, DateOnly To)? Period(string? from, string? to, ProgramTime clock)
    {
        var today = clock.Today;
        DateOnly start = today.AddDays(-90), end = today;
        if ((from is not null && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out start))
            || (to is not null && !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out end)))
        {
            return null;
        }

        if (from is null && to is not null)
        {
            start = end.AddDays(-90);
        }

        return end < start || end.DayNumber - start.DayNumber > MaxDays ? null : (start, end);
    }

    private static ValidationProblem Invalid(string? from, string? to)
    {
        var errors = new Dictionary<string, string[]>();
        if (from is not null && !DateOnly.TryParseExact(from, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors["from"] = ["A date as YYYY-MM-DD."];
        }

        if (to is not null && !DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors["to"] = ["A date as YYYY-MM-DD."];
        }

        if (errors.Count == 0)
        {
            errors["to"] = [$"On or after from, and at most {MaxDays} days after it."];
        }

        return TypedResults.ValidationProblem(errors, title: "The report's period is not valid.");
    }
}

/// <summary>The estimate-accuracy report as CSV (patients) and as a workbook (patients, by payer, by contract, Good Faith Estimates).</summary>
internal static class EstimateAccuracyFiles
{
    private sealed record Column(string Name, ReportValueKind Kind, double Width, Func<AccuracyPatient, object?> Value);

    private static readonly Column[] PatientColumns =
    [
        new("verification_id", ReportValueKind.Text, 38, p => p.VerificationId.ToString()),
        new("patient_ref", ReportValueKind.Text, 16, p => p.PatientRef),
        new("payer_id", ReportValueKind.Text, 10, p => p.PayerId),
        new("contract_id", ReportValueKind.Text, 16, p => p.ContractId),
        new("claims", ReportValueKind.Integer, 8, p => p.Claims),
        new("days", ReportValueKind.Integer, 7, p => p.Days),
        new("estimated_patient", ReportValueKind.Money, 14, p => p.EstimatedPatient),
        new("actual_patient", ReportValueKind.Money, 14, p => p.ActualPatient),
        new("error", ReportValueKind.Money, 12, p => p.Error),
        new("error_percent", ReportValueKind.Percent, 12, p => p.ErrorPercent),
        new("actual_deductible", ReportValueKind.Money, 14, p => p.ActualDeductible),
        new("actual_coinsurance", ReportValueKind.Money, 14, p => p.ActualCoinsurance),
        new("actual_copay", ReportValueKind.Money, 12, p => p.ActualCopay),
        new("actual_other", ReportValueKind.Money, 12, p => p.ActualOther),
        new("estimated_deductible", ReportValueKind.Money, 14, p => p.EstimatedDeductible),
        new("estimated_coinsurance", ReportValueKind.Money, 14, p => p.EstimatedCoinsurance),
        new("estimated_copay", ReportValueKind.Money, 12, p => p.EstimatedCopay),
        new("allowed_per_day", ReportValueKind.Money, 12, p => p.AllowedPerDay),
        new("estimated_patient_program", ReportValueKind.Money, 14, p => p.EstimatedPatientTotal),
        new("projected_patient_program", ReportValueKind.Money, 14, p => p.ProjectedPatientTotal),
        new("notes", ReportValueKind.Text, 60, p => string.Join(" ", p.Notes)),
    ];

    public static async Task<byte[]> CsvAsync(EstimateAccuracyReport report)
    {
        using var buffer = new MemoryStream();
        await using (var text = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        await using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture, leaveOpen: true))
        {
            foreach (var column in PatientColumns)
            {
                csv.WriteField(column.Name);
            }

            await csv.NextRecordAsync();
            foreach (var patient in report.Patients)
            {
                foreach (var column in PatientColumns)
                {
                    var value = ReportText.Format(column.Value(patient));
                    csv.WriteField(column.Kind == ReportValueKind.Text ? ReportText.DefuseFormula(value) : value);
                }

                await csv.NextRecordAsync();
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Xlsx(EstimateAccuracyReport report)
    {
        using var workbook = new XLWorkbook();
        var patients = workbook.Worksheets.Add("Patients");
        for (var c = 0; c < PatientColumns.Length; c++)
        {
            patients.Cell(1, c + 1).SetValue(PatientColumns[c].Name);
            patients.Column(c + 1).Width = PatientColumns[c].Width;
        }

        for (var r = 0; r < report.Patients.Count; r++)
        {
            for (var c = 0; c < PatientColumns.Length; c++)
            {
                Set(patients.Cell(r + 2, c + 1), PatientColumns[c].Kind, PatientColumns[c].Value(report.Patients[r]));
            }
        }

        Finish(patients, PatientColumns.Length);
        Groups(workbook.Worksheets.Add("By payer"), report.ByPayer, withContract: false);
        Groups(workbook.Worksheets.Add("By contract"), report.ByContract, withContract: true);

        var gfe = workbook.Worksheets.Add("Good Faith Estimates");
        string[] headers = ["estimate_id", "estimate_number", "verification_id", "estimated", "billed", "over"];
        for (var c = 0; c < headers.Length; c++)
        {
            gfe.Cell(1, c + 1).SetValue(headers[c]);
            gfe.Column(c + 1).Width = c is 0 or 2 ? 38 : 14;
        }

        for (var r = 0; r < report.GoodFaithEstimatesExceeded.Count; r++)
        {
            var e = report.GoodFaithEstimatesExceeded[r];
            gfe.Cell(r + 2, 1).SetValue(e.EstimateId.ToString());
            gfe.Cell(r + 2, 2).SetValue(e.EstimateNumber ?? "");
            gfe.Cell(r + 2, 3).SetValue(e.VerificationId.ToString());
            Set(gfe.Cell(r + 2, 4), ReportValueKind.Money, e.Estimated);
            Set(gfe.Cell(r + 2, 5), ReportValueKind.Money, e.Billed);
            Set(gfe.Cell(r + 2, 6), ReportValueKind.Money, e.Over);
        }

        Finish(gfe, headers.Length);
        using var buffer = new MemoryStream();
        workbook.SaveAs(buffer);
        return buffer.ToArray();
    }

    private static void Groups(IXLWorksheet sheet, IReadOnlyList<AccuracyGroup> groups, bool withContract)
    {
        string[] headers = ["payer_id", "payer_name", "contract_id", "patients", "claims", "estimated_patient", "actual_patient", "mean_absolute_error", "bias",
            "allowed_per_day_median", "allowed_per_day_min", "allowed_per_day_max", "allowed_days", "allowed_per_day_configured", "configured_from", "suggested_allowed_per_day"];
        var shown = withContract ? headers : [.. headers.Where(h => h != "contract_id")];
        for (var c = 0; c < shown.Length; c++)
        {
            sheet.Cell(1, c + 1).SetValue(shown[c]);
            sheet.Column(c + 1).Width = shown[c] == "payer_name" ? 24 : 14;
        }

        for (var r = 0; r < groups.Count; r++)
        {
            var g = groups[r];
            var values = new Dictionary<string, (ReportValueKind, object?)>
            {
                ["payer_id"] = (ReportValueKind.Text, g.PayerId),
                ["payer_name"] = (ReportValueKind.Text, g.PayerName),
                ["contract_id"] = (ReportValueKind.Text, g.ContractId),
                ["patients"] = (ReportValueKind.Integer, g.Patients),
                ["claims"] = (ReportValueKind.Integer, g.Claims),
                ["estimated_patient"] = (ReportValueKind.Money, g.EstimatedPatient),
                ["actual_patient"] = (ReportValueKind.Money, g.ActualPatient),
                ["mean_absolute_error"] = (ReportValueKind.Money, g.MeanAbsoluteError),
                ["bias"] = (ReportValueKind.Money, g.Bias),
                ["allowed_per_day_median"] = (ReportValueKind.Money, g.AllowedPerDay.Median),
                ["allowed_per_day_min"] = (ReportValueKind.Money, g.AllowedPerDay.Min),
                ["allowed_per_day_max"] = (ReportValueKind.Money, g.AllowedPerDay.Max),
                ["allowed_days"] = (ReportValueKind.Integer, g.AllowedPerDay.Count),
                ["allowed_per_day_configured"] = (ReportValueKind.Money, g.AllowedPerDay.Configured),
                ["configured_from"] = (ReportValueKind.Text, g.AllowedPerDay.ConfiguredFrom),
                ["suggested_allowed_per_day"] = (ReportValueKind.Money, g.AllowedPerDay.Suggested),
            };
            for (var c = 0; c < shown.Length; c++)
            {
                var (kind, value) = values[shown[c]];
                Set(sheet.Cell(r + 2, c + 1), kind, value);
            }
        }

        Finish(sheet, shown.Length);
    }

    // A blank cell is unknown, never 0.
    private static void Set(IXLCell cell, ReportValueKind kind, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case decimal money when kind == ReportValueKind.Money:
                cell.SetValue(money);
                cell.Style.NumberFormat.Format = XlsxReportWriter.MoneyFormat;
                return;
            case decimal percent:
                cell.SetValue(percent);
                cell.Style.NumberFormat.Format = XlsxReportWriter.PercentFormat;
                return;
            case int number:
                cell.SetValue(number);
                return;
            default:
                cell.SetValue(value.ToString());
                return;
        }
    }

    private static void Finish(IXLWorksheet sheet, int columns)
    {
        var header = sheet.Range(1, 1, 1, columns);
        header.Style.Font.Bold = true;
        header.Style.Fill.BackgroundColor = XLColor.FromHtml("#DCE6F1");
        sheet.SheetView.FreezeRows(1);
        sheet.Range(1, 1, Math.Max(1, sheet.LastRowUsed()?.RowNumber() ?? 1), columns).SetAutoFilter();
    }
}
