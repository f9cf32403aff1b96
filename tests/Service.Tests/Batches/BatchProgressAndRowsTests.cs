using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Tests.Batches;

internal sealed class BatchProgressAndRowsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Test]
    public void Progress_counts_every_status_and_projects_the_rest_at_the_pace_so_far()
    {
        var counts = new Dictionary<string, int> { ["completed"] = 30, ["needs-review"] = 10, ["queued"] = 50, ["in-progress"] = 10, ["rejected"] = 20 };

        var progress = BatchProgress.Compute(counts, Start, Start.AddMinutes(4));

        Assert.Multiple(() =>
        {
            Assert.That(progress.Total, Is.EqualTo(120));
            Assert.That(progress.Done, Is.EqualTo(60));
            Assert.That(progress.Pending, Is.EqualTo(60));
            Assert.That(progress.Percent, Is.EqualTo(50));
            Assert.That(progress.Counts["failed"], Is.Zero, "every status is present");
            // 40 verifications in 4 minutes (rejected rows cost nothing): 60 more take 6 minutes.
            Assert.That(progress.EstimatedCompletion, Is.EqualTo(Start.AddMinutes(10)));
        });
    }

    [Test]
    public void Progress_has_no_estimate_before_the_first_answer_or_after_the_last()
    {
        var none = BatchProgress.Compute(new Dictionary<string, int> { ["queued"] = 5, ["rejected"] = 2 }, Start, Start.AddMinutes(1));
        var done = BatchProgress.Compute(new Dictionary<string, int> { ["completed"] = 5 }, Start, Start.AddMinutes(1));

        Assert.Multiple(() =>
        {
            Assert.That(none.EstimatedCompletion, Is.Null);
            Assert.That(none.Percent, Is.EqualTo(28));
            Assert.That(done.EstimatedCompletion, Is.Null);
            Assert.That(done.Percent, Is.EqualTo(100));
        });
    }

    [Test]
    public void A_verification_result_becomes_a_report_row_with_in_network_figures()
    {
        const string payload = """{"program":{"startDate":"2026-12-07","weeks":8,"daysPerWeek":5}}""";
        const string result = """
            {
              "checkedAt": "2026-11-30T15:00:00+00:00",
              "payer": { "id": "60054", "name": "AETNA" },
              "coverage": {
                "active": true, "planName": "Choice POS II", "planEnd": "2027-12-31", "eligibilityEnd": "2027-01-15",
                "inNetwork": {
                  "deductible": { "individual": { "total": 1500.00, "remaining": 1300.00 }, "family": null },
                  "outOfPocketMax": { "individual": { "total": 6000.00, "remaining": 5100.00 } },
                  "copayPerDay": 0.00, "coinsurancePercent": 20, "priorAuthorizationRequired": true
                },
                "outOfNetwork": { "deductible": { "individual": { "total": 3000.00, "remaining": 3000.00 } } }
              },
              "estimate": { "totals": { "charges": 18000.00, "allowed": 18000.00, "patient": 4640.00, "payer": 13360.00 } },
              "errors": []
            }
            """;
        var row = new BatchRowRecord { Line = 5, PatientRef = "S-1", VerificationId = Guid.NewGuid(), VerificationStatus = "completed", PayerId = "60054" };

        var report = BatchReportRows.From(row, VerificationJson.ReadPayload(payload), VerificationJson.ReadResult(result), "AETNA FROM TABLE");

        Assert.Multiple(() =>
        {
            Assert.That(report.Line, Is.EqualTo(5));
            Assert.That(report.Status, Is.EqualTo("completed"));
            Assert.That(report.Active, Is.True);
            Assert.That(report.PayerName, Is.EqualTo("AETNA"));
            Assert.That(report.PlanName, Is.EqualTo("Choice POS II"));
            Assert.That(report.DeductibleTotal, Is.EqualTo(1500.00m));
            Assert.That(report.DeductibleRemaining, Is.EqualTo(1300.00m));
            Assert.That(report.OutOfPocketRemaining, Is.EqualTo(5100.00m));
            Assert.That(report.CopayPerDay, Is.EqualTo(0.00m));
            Assert.That(report.CoinsurancePercent, Is.EqualTo(20m));
            Assert.That(report.PriorAuthorizationRequired, Is.True);
            Assert.That(report.EstimatedPatientTotal, Is.EqualTo(4640.00m));
            Assert.That(report.EstimatedPayerTotal, Is.EqualTo(13360.00m));
            Assert.That(report.ProgramStart, Is.EqualTo(new DateOnly(2026, 12, 7)));
            Assert.That(report.ProgramEnd, Is.EqualTo(new DateOnly(2027, 1, 31)));
            Assert.That(report.CoverageEnd, Is.EqualTo(new DateOnly(2027, 1, 15)));
            Assert.That(report.EndsBeforeProgram, Is.True);
            Assert.That(report.Standing, Is.EqualTo(CoverageStanding.EndsBeforeProgram));
        });
    }

    [Test]
    public void A_plan_year_ending_mid_program_is_not_coverage_ending()
    {
        // The plan renews on 1 January (the estimator resets accumulators then); only an eligibility end stops coverage.
        const string payload = """{"program":{"startDate":"2026-12-07","weeks":8,"daysPerWeek":5}}""";
        const string result = """{"checkedAt":"2026-11-30T15:00:00+00:00","payer":{"id":"60054","name":"AETNA"},"coverage":{"active":true,"planEnd":"2026-12-31","eligibilityEnd":null},"errors":[]}""";
        var row = new BatchRowRecord { Line = 2, PatientRef = "S-3", VerificationId = Guid.NewGuid(), VerificationStatus = "completed", PayerId = "60054" };

        var report = BatchReportRows.From(row, VerificationJson.ReadPayload(payload), VerificationJson.ReadResult(result), "AETNA");

        Assert.That(report.CoverageEnd, Is.Null);
        Assert.That(report.EndsBeforeProgram, Is.Not.True);
        Assert.That(report.Standing, Is.EqualTo(CoverageStanding.Active));
    }

    [TestCase("\"planBegin\":\"2026-01-01\",\"planEnd\":\"2026-12-15\"", TestName = "A_plan_ending_mid_program_sets_ends_before_program_issue_15")]
    [TestCase("\"planBegin\":\"2026-01-01\",\"planEnd\":\"2026-12-31\",\"eligibilityEnd\":\"2026-12-15\"", TestName = "An_eligibility_end_mid_program_sets_ends_before_program_issue_15")]
    public void A_coverage_end_inside_the_program_is_reported_as_ending_before_the_program(string dates)
    {
        const string payload = """{"program":{"startDate":"2026-12-07","weeks":8,"daysPerWeek":5}}""";
        var result = $$"""{"checkedAt":"2026-11-30T15:00:00+00:00","payer":{"id":"60054","name":"AETNA"},"coverage":{"active":true,{{dates}}},"errors":[]}""";
        var row = new BatchRowRecord { Line = 3, PatientRef = "S-4", VerificationId = Guid.NewGuid(), VerificationStatus = "completed", PayerId = "60054" };

        var report = BatchReportRows.From(row, VerificationJson.ReadPayload(payload), VerificationJson.ReadResult(result), "AETNA");

        Assert.That(report.CoverageEnd, Is.EqualTo(new DateOnly(2026, 12, 15)));
        Assert.That(report.EndsBeforeProgram, Is.True);
        Assert.That(report.Standing, Is.EqualTo(CoverageStanding.EndsBeforeProgram));
    }

    [Test]
    public void Other_coverage_and_care_not_covered_are_reported_in_words_issue_15()
    {
        const string payload = """{"program":{"startDate":"2026-12-07","weeks":8,"daysPerWeek":5}}""";
        const string result = """
            {"checkedAt":"2026-11-30T15:00:00+00:00","payer":{"id":"60054","name":"AETNA"},
             "coverage":{"active":true,"nonCovered":{"serviceType":"MH","inNetwork":true,"outOfNetwork":true},
                         "otherCoverage":[{"payerName":"MEDICARE ADVANTAGE PLAN","payerId":"12345","insuranceType":"HM","begin":"2026-01-01","end":"2026-12-31"},
                                          {"description":"QMB MEDICAID"}]},
             "errors":[]}
            """;
        var row = new BatchRowRecord { Line = 4, PatientRef = "S-5", VerificationId = Guid.NewGuid(), VerificationStatus = "completed", PayerId = "60054" };

        var report = BatchReportRows.From(row, VerificationJson.ReadPayload(payload), VerificationJson.ReadResult(result), "AETNA");

        Assert.That(report.NonCovered, Is.EqualTo("in and out of network"));
        Assert.That(report.OtherCoverage, Is.EqualTo("MEDICARE ADVANTAGE PLAN (payer 12345, HM) from 2026-01-01 to 2026-12-31; QMB MEDICAID"));
    }

    [Test]
    public void What_the_payer_did_not_say_stays_unknown_and_its_rejection_is_the_error()
    {
        const string result = """{"checkedAt":"2026-11-30T15:00:00+00:00","payer":{"id":"00710","name":null},"coverage":null,"estimate":null,"errors":[{"code":"42","description":"Unable to Respond at Current Time"}]}""";
        var row = new BatchRowRecord { Line = 9, PatientRef = "S-2", VerificationId = Guid.NewGuid(), VerificationStatus = "needs-review", PayerId = "00710" };

        var report = BatchReportRows.From(row, null, VerificationJson.ReadResult(result), "SANDBOX REGIONAL HEALTH PLAN");

        Assert.Multiple(() =>
        {
            Assert.That(report.Active, Is.Null);
            Assert.That(report.DeductibleRemaining, Is.Null);
            Assert.That(report.EstimatedPatientTotal, Is.Null);
            Assert.That(report.PayerName, Is.EqualTo("SANDBOX REGIONAL HEALTH PLAN"));
            Assert.That(report.ErrorCode, Is.EqualTo("42"));
            Assert.That(report.ErrorDescription, Is.EqualTo("Unable to Respond at Current Time"));
            Assert.That(report.Standing, Is.EqualTo(CoverageStanding.NeedsReview));
        });
    }

    [Test]
    public void A_queued_row_without_a_result_and_a_rejected_row_are_reported_as_they_stand()
    {
        var queued = BatchReportRows.From(new BatchRowRecord { Line = 2, PatientRef = "Q", VerificationId = Guid.NewGuid(), VerificationStatus = "queued", PayerId = "60054" }, null, null, "AETNA");
        var rejected = BatchReportRows.From(new BatchRowRecord { Line = 3, PatientRef = "R", ErrorCode = "invalid-date", Error = "date_of_birth is not a real calendar date" }, null, null, null);

        Assert.Multiple(() =>
        {
            Assert.That(queued.Standing, Is.EqualTo(CoverageStanding.Pending));
            Assert.That(queued.PayerName, Is.EqualTo("AETNA"));
            Assert.That(rejected.Status, Is.EqualTo("rejected"));
            Assert.That(rejected.ErrorCode, Is.EqualTo("invalid-date"));
            Assert.That(rejected.PayerId, Is.Null);
        });
    }
}

internal sealed class BatchProgressPaceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    private static BatchPayerCount Count(string payer, string status, int count) => new() { PayerId = payer, Status = status, Count = count };

    [Test]
    public void The_estimate_follows_the_slowest_payer_s_own_pace_issue_19()
    {
        // In 9 minutes Aetna answered 90 (10 left: 1 more minute), the slow payer 1 (9 left: 81 more minutes).
        var progress = BatchProgress.Compute(
            [Count("60054", "completed", 90), Count("60054", "queued", 10), Count("00710", "completed", 1), Count("00710", "in-progress", 9)],
            Start, Start.AddMinutes(9));

        Assert.Multiple(() =>
        {
            Assert.That(progress.EstimatedCompletion, Is.EqualTo(Start.AddMinutes(9 + 81)));
            Assert.That(progress.Payers!.Single(p => p.PayerId == "60054").EstimatedCompletion, Is.EqualTo(Start.AddMinutes(10)));
        });
    }

    [Test]
    public void Rows_waiting_for_a_payer_that_is_down_do_not_hold_the_batch_or_its_estimate_issue_19()
    {
        var progress = BatchProgress.Compute(
            [Count("60054", "completed", 19), Count("00710", BatchRowStatus.WaitingForPayer, 1)], Start, Start.AddMinutes(14));

        Assert.Multiple(() =>
        {
            Assert.That(progress.Counts["queued"], Is.EqualTo(1), "still a queued row in the contract's counts");
            Assert.That(progress.WaitingForPayer, Is.EqualTo(1));
            Assert.That(progress.Pending, Is.Zero, "nothing the batch waits for");
            Assert.That(progress.EstimatedCompletion, Is.Null, "no made-up 'a few seconds'");
            Assert.That(progress.Percent, Is.EqualTo(95));
        });
    }

    [Test]
    public void A_payer_with_rows_left_but_no_answer_yet_borrows_the_batch_s_pace()
    {
        var progress = BatchProgress.Compute([Count("60054", "completed", 10), Count("87726", "queued", 5)], Start, Start.AddMinutes(10));
        Assert.That(progress.EstimatedCompletion, Is.EqualTo(Start.AddMinutes(15)));
    }
}
