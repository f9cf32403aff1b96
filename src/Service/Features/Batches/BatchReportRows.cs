using System.Globalization;
using System.Text.Json;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// Turns a stored batch row, with its verification's request and result (JSON, as <c>GET /api/v1/verifications/{id}</c>
/// describes them), into a report row. The reading is tolerant: what the result does not say stays unknown (null).
/// </summary>
public static class BatchReportRows
{
    /// <param name="row">The batch row and its verification's state.</param>
    /// <param name="payloadJson">The verification request (for the program dates), or null.</param>
    /// <param name="resultJson">The verification result, or null when there is none yet.</param>
    /// <param name="payerName">The payer's name from the payer table, used when the answer has none.</param>
    public static BatchReportRow From(BatchRowRecord row, string? payloadJson, string? resultJson, string? payerName)
    {
        if (row.VerificationId is null)
        {
            return new BatchReportRow
            {
                Line = row.Line,
                PatientRef = row.PatientRef,
                Status = BatchRowStatus.Rejected,
                ErrorCode = row.ErrorCode,
                ErrorDescription = row.Error,
            };
        }

        var (programStart, programEnd) = ReadProgram(payloadJson);
        var report = new BatchReportRow
        {
            Line = row.Line,
            PatientRef = row.PatientRef,
            Status = row.VerificationStatus ?? BatchRowStatus.Queued,
            PayerId = row.PayerId,
            PayerName = payerName,
            ProgramStart = programStart,
            ProgramEnd = programEnd,
            ErrorCode = row.LastErrorCode,
            ErrorDescription = row.LastError,
        };

        return string.IsNullOrEmpty(resultJson) ? report : WithResult(report, resultJson);
    }

    private static BatchReportRow WithResult(BatchReportRow report, string resultJson)
    {
        using var document = JsonDocument.Parse(resultJson);
        var result = document.RootElement;

        var coverage = Child(result, "coverage");
        var inNetwork = Child(coverage, "inNetwork");
        var deductible = Child(Child(inNetwork, "deductible"), "individual");
        var outOfPocket = Child(Child(inNetwork, "outOfPocketMax"), "individual");
        var totals = Child(Child(result, "estimate"), "totals");

        string? errorCode = report.ErrorCode;
        string? errorDescription = report.ErrorDescription;
        if (Child(result, "errors") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0)
        {
            errorCode = String(errors[0], "code") ?? errorCode;
            errorDescription = String(errors[0], "description") ?? errorDescription;
        }

        return report with
        {
            Active = Bool(coverage, "active"),
            PayerName = String(Child(result, "payer"), "name") ?? report.PayerName,
            PlanName = String(coverage, "planName"),
            // Only an eligibility end date says coverage stops; a plan's end date is its plan year, which renews.
            CoverageEnd = Date(coverage, "eligibilityEnd"),
            DeductibleTotal = Decimal(deductible, "total"),
            DeductibleRemaining = Decimal(deductible, "remaining"),
            OutOfPocketRemaining = Decimal(outOfPocket, "remaining"),
            CopayPerDay = Decimal(inNetwork, "copayPerDay"),
            CoinsurancePercent = Decimal(inNetwork, "coinsurancePercent"),
            PriorAuthorizationRequired = Bool(inNetwork, "priorAuthorizationRequired"),
            EstimatedPatientTotal = Decimal(totals, "patient"),
            EstimatedPayerTotal = Decimal(totals, "payer"),
            ErrorCode = errorCode,
            ErrorDescription = errorDescription,
        };
    }

    private static (DateOnly? Start, DateOnly? End) ReadProgram(string? payloadJson)
    {
        if (string.IsNullOrEmpty(payloadJson))
        {
            return (null, null);
        }

        using var document = JsonDocument.Parse(payloadJson);
        var program = Child(document.RootElement, "program");
        var start = Date(program, "startDate");
        var weeks = Child(program, "weeks") is { ValueKind: JsonValueKind.Number } w && w.TryGetInt32(out var n) && n > 0 ? n : (int?)null;
        return (start, start is { } s && weeks is { } k ? s.AddDays((k * 7) - 1) : null);
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? String(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static bool? Bool(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    private static decimal? Decimal(JsonElement? parent, string name) =>
        Child(parent, name) is { ValueKind: JsonValueKind.Number } value && value.TryGetDecimal(out var amount) ? amount : null;

    private static DateOnly? Date(JsonElement? parent, string name) =>
        String(parent, name) is { } text && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;

}
