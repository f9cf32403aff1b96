using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

internal sealed class BatchReportTests
{
    [TestCase(BatchRowStatus.Rejected, null, null, CoverageStanding.Rejected)]
    [TestCase(BatchRowStatus.Queued, null, null, CoverageStanding.Pending)]
    [TestCase(BatchRowStatus.InProgress, null, null, CoverageStanding.Pending)]
    [TestCase(BatchRowStatus.Failed, null, null, CoverageStanding.NeedsReview)]
    [TestCase(BatchRowStatus.NeedsReview, true, null, CoverageStanding.NeedsReview)]
    [TestCase(BatchRowStatus.Completed, null, null, CoverageStanding.NeedsReview)]
    [TestCase(BatchRowStatus.Completed, false, null, CoverageStanding.Ended)]
    [TestCase(BatchRowStatus.Completed, true, null, CoverageStanding.Active)]
    [TestCase(BatchRowStatus.Completed, true, "2027-01-31", CoverageStanding.Active)]
    [TestCase(BatchRowStatus.Completed, true, "2027-01-30", CoverageStanding.EndsBeforeProgram)]
    public void Every_row_has_one_standing(string status, bool? active, string? coverageEnd, CoverageStanding expected)
    {
        var row = new BatchReportRow
        {
            Line = 2,
            Status = status,
            Active = active,
            ProgramEnd = new DateOnly(2027, 1, 31),
            CoverageEnd = coverageEnd is null ? null : DateOnly.Parse(coverageEnd, System.Globalization.CultureInfo.InvariantCulture),
        };

        Assert.That(row.Standing, Is.EqualTo(expected));
    }

    [Test]
    public void The_summary_counts_each_payer_and_its_amounts_are_the_sums_of_its_rows()
    {
        var summary = PayerSummary.FromRows(ReportSamples.Rows);

        Assert.That(summary.Select(s => s.PayerId), Is.EqualTo(new[] { string.Empty, "00710", "60054", "94134" }));
        var aetna = summary.Single(s => s.PayerId == "60054");
        Assert.Multiple(() =>
        {
            Assert.That(aetna.PayerName, Is.EqualTo("AETNA"));
            Assert.That(aetna.Patients, Is.EqualTo(3));
            Assert.That(aetna.Active, Is.EqualTo(2));
            Assert.That(aetna.EndsBeforeProgram, Is.EqualTo(1));
            Assert.That(aetna.Ended, Is.EqualTo(1));
            Assert.That(aetna.ExpectedPatientTotal, Is.EqualTo(2780.00m + 1234.56m));
            Assert.That(aetna.ExpectedPayerTotal, Is.EqualTo(5220.00m + 8765.44m));
        });

        foreach (var payer in summary)
        {
            var rows = ReportSamples.Rows.Where(r => (r.PayerId ?? string.Empty) == payer.PayerId).ToList();
            Assert.That(payer.ExpectedPatientTotal, Is.EqualTo(rows.Sum(r => r.EstimatedPatientTotal ?? 0m)));
            Assert.That(payer.ExpectedPayerTotal, Is.EqualTo(rows.Sum(r => r.EstimatedPayerTotal ?? 0m)));
            Assert.That(payer.Active - payer.EndsBeforeProgram + payer.EndsBeforeProgram + payer.Ended + payer.NeedsReview + payer.Pending + payer.Rejected + payer.CarvedOut, Is.EqualTo(payer.Patients));
        }

        var total = PayerSummary.Sum(summary);
        Assert.Multiple(() =>
        {
            Assert.That(total.Patients, Is.EqualTo(ReportSamples.Rows.Count));
            Assert.That(total.Rejected, Is.EqualTo(2));
            Assert.That(total.Pending, Is.EqualTo(1));
            Assert.That(total.NeedsReview, Is.EqualTo(1));
            Assert.That(total.ExpectedPatientTotal, Is.EqualTo(2780.00m + 1234.56m + 0.01m));
            Assert.That(total.ExpectedPayerTotal, Is.EqualTo(5220.00m + 8765.44m + 19999.99m));
        });
    }

    [Test]
    public void Changes_since_the_previous_run_are_found_per_patient()
    {
        var previous = new BatchReportRow[]
        {
            new() { Line = 2, PatientRef = "P-1", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PlanName = "PPO", DeductibleRemaining = 1500m, OutOfPocketRemaining = 6000m, EstimatedPatientTotal = 3000m },
            new() { Line = 3, PatientRef = "P-2", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PlanName = "PPO", DeductibleRemaining = 0m },
            new() { Line = 4, PatientRef = "P-3", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PlanName = "PPO" },
            new() { Line = 5, PatientRef = "P-4", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054" },
            new() { Line = 6, PatientRef = "P-5", Status = BatchRowStatus.Queued, PayerId = "60054" },
        };
        var current = new BatchReportRow[]
        {
            new() { Line = 2, PatientRef = "p-1", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PlanName = "PPO", DeductibleRemaining = 1300m, OutOfPocketRemaining = 5800m, EstimatedPatientTotal = 2800m },
            new() { Line = 3, PatientRef = "P-2", Status = BatchRowStatus.Completed, Active = true, PayerId = "60054", PlanName = "PPO", DeductibleRemaining = 1500m },
            new() { Line = 4, PatientRef = "P-3", Status = BatchRowStatus.Completed, Active = false, PayerId = "60054", PlanName = "PPO" },
            new() { Line = 5, PatientRef = "P-5", Status = BatchRowStatus.Completed, Active = true, PayerId = "62308", PlanName = "OAP" },
            new() { Line = 6, PatientRef = "P-6", Status = BatchRowStatus.Queued, PayerId = "60054" },
        };

        var changes = BatchChange.Compare(previous, current);

        Assert.That(changes.Select(c => (c.PatientRef, c.KindName, c.Before, c.After)), Is.EqualTo(new (string, string, string?, string?)[]
        {
            ("p-1", "deductible-progressed", "1500.00", "1300.00"),
            ("p-1", "out-of-pocket-changed", "6000.00", "5800.00"),
            ("p-1", "estimate-changed", "3000.00", "2800.00"),
            ("P-2", "deductible-reset", "0.00", "1500.00"),
            ("P-3", "coverage-ended", "active", "inactive"),
            ("P-5", "status-changed", "queued", "completed"),
            ("P-5", "plan-changed", "60054", "62308 OAP"),
            ("P-6", "new-patient", null, "queued"),
            ("P-4", "patient-removed", "completed", null),
        }));
    }
}
