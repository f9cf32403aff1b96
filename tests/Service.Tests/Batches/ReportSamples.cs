using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>Report rows covering every standing, awkward text, and unknown figures.</summary>
internal static class ReportSamples
{
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 28, 15, 4, 5, TimeSpan.Zero);

    public static IReadOnlyList<BatchReportRow> Rows { get; } =
    [
        new()
        {
            Line = 2, PatientRef = "P-001", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PayerName = "AETNA",
            PlanName = "Choice POS II", ProgramStart = new DateOnly(2026, 12, 7), ProgramEnd = new DateOnly(2027, 1, 31),
            CoverageEnd = new DateOnly(2027, 12, 31), DeductibleTotal = 1500.00m, DeductibleRemaining = 1300.00m, OutOfPocketRemaining = 5100.00m,
            CopayPerDay = 0.00m, CoinsurancePercent = 20m, PriorAuthorizationRequired = true, EstimatedPatientTotal = 2780.00m, EstimatedPayerTotal = 5220.00m,
        },
        new()
        {
            Line = 3, PatientRef = "P-002", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PayerName = "AETNA",
            ProgramStart = new DateOnly(2026, 12, 7), ProgramEnd = new DateOnly(2027, 1, 31), CoverageEnd = new DateOnly(2026, 12, 31),
            DeductibleRemaining = 0.00m, OutOfPocketRemaining = 2150.00m, CopayPerDay = 0m, CoinsurancePercent = 12.5m,
            PriorAuthorizationRequired = false, EstimatedPatientTotal = 1234.56m, EstimatedPayerTotal = 8765.44m,
        },
        new()
        {
            Line = 4, PatientRef = "P-003", Status = BatchRowStatus.Completed, Active = false, PayerId = "60054", PayerName = "AETNA",
            ErrorCode = null, EstimatedPatientTotal = null, EstimatedPayerTotal = null,
        },
        new()
        {
            Line = 6, PatientRef = "=HYPERLINK(\"http://evil\")", Status = BatchRowStatus.NeedsReview, PayerId = "00710",
            PayerName = "R&D <Regional> \"Plan\"", ErrorCode = "42", ErrorDescription = "Unable to Respond at Current Time",
        },
        new()
        {
            Line = 7, PatientRef = "P-005", Status = BatchRowStatus.Queued, PayerId = "94134", PayerName = "KAISER PERMANENTE",
        },
        new()
        {
            Line = 8, PatientRef = "P-006", Status = BatchRowStatus.Completed, Active = true, PayerId = "94134", PayerName = "KAISER PERMANENTE",
            CopayPerDay = 25.00m, CoinsurancePercent = 0m, DeductibleRemaining = 0m, OutOfPocketRemaining = 2800.00m,
            EstimatedPatientTotal = 0.01m, EstimatedPayerTotal = 19999.99m, PriorAuthorizationRequired = true,
        },
        BatchReportRow.Rejected(new CensusRowError(9, "P-007", CensusErrorCodes.UnknownPayer, "payer_id is not in the payer table.")),
        BatchReportRow.Rejected(new CensusRowError(11, null, CensusErrorCodes.MissingValue, "patient_ref is missing. José's line")),
    ];

    public static BatchReport Report(IReadOnlyList<BatchChange>? changes = null, DateTimeOffset? previousRunAt = null) =>
        new("b-123", "census-small.csv", GeneratedAt, Rows, changes ?? [], previousRunAt);

    /// <summary>A long report for timing: 10,000 completed rows over eight payers.</summary>
    public static BatchReport Large(int rows = 10_000)
    {
        string[] payers = ["60054", "62308", "87726", "61101", "94134", "CMS", "610442", "00710"];
        var list = new List<BatchReportRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            list.Add(new BatchReportRow
            {
                Line = i + 2, PatientRef = $"P-{i:D5}", Status = BatchRowStatus.Completed, Active = i % 10 != 0, PayerId = payers[i % payers.Length],
                PayerName = "PAYER " + payers[i % payers.Length], ProgramStart = new DateOnly(2026, 12, 7), ProgramEnd = new DateOnly(2027, 1, 31),
                CoverageEnd = new DateOnly(2027, 12, 31), DeductibleRemaining = 1000m + (i % 7), OutOfPocketRemaining = 5000m - (i % 13),
                CopayPerDay = 0m, CoinsurancePercent = 20m, PriorAuthorizationRequired = i % 2 == 0,
                EstimatedPatientTotal = 1000m + (i % 100) + 0.25m, EstimatedPayerTotal = 7000m - (i % 100) + 0.75m,
            });
        }

        return new BatchReport("b-large", "census-10000.csv", GeneratedAt, list, []);
    }
}
