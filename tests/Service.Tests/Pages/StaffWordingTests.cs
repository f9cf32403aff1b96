using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Pages.Staff;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// Issue #17's plain language for someone on the phone: the program's time zone, phone numbers as people write them,
/// X12 notes kept for billing staff, and the work queue's outcome for each kind of answer.
/// </summary>
internal sealed class StaffWordingTests
{
    // 07:30 UTC on 3 December is still 2 December in Los Angeles (23:30 PST).
    private static readonly DateTimeOffset LateEvening = new(2026, 12, 3, 7, 30, 0, TimeSpan.Zero);

    private static ProgramTime Time(DateTimeOffset now, string zone = "America/Los_Angeles") =>
        new(new StaticOptions(new ProgramOptions { TimeZone = zone }), new FakeTimeProvider(now));

    [Test]
    public void Today_and_times_are_the_programs_not_UTC()
    {
        var time = Time(LateEvening);

        Assert.Multiple(() =>
        {
            Assert.That(time.Today, Is.EqualTo(new DateOnly(2026, 12, 2)));
            Assert.That(time.StartOfToday, Is.EqualTo(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.FromHours(-8))));
            Assert.That(time.Format(LateEvening), Is.EqualTo("Dec 2, 2026 11:30 PM PST"));
            Assert.That(time.Format(new DateTimeOffset(2026, 7, 1, 19, 5, 0, TimeSpan.Zero)), Is.EqualTo("Jul 1, 2026 12:05 PM PDT"));
            Assert.That(time.Short(LateEvening.AddMinutes(-90)), Is.EqualTo("10:00 PM"), "a time today has no date");
            Assert.That(time.Short(LateEvening.AddDays(-1)), Is.EqualTo("Dec 1, 11:30 PM"));
            Assert.That(Time(LateEvening, "America/New_York").Today, Is.EqualTo(new DateOnly(2026, 12, 3)));
        });
    }

    [TestCase("8005551234", "(800) 555-1234")]
    [TestCase("1-800-555-1234", "(800) 555-1234")]
    [TestCase("800.555.1234x210", "(800) 555-1234 ext. 210")]
    [TestCase("+44 20 7946 0958", "+44 20 7946 0958")]
    [TestCase(null, "not reported")]
    public void Phone_numbers_are_written_as_people_write_them(string? given, string expected) =>
        Assert.That(Wording.Phone(given), Is.EqualTo(expected));

    [Test]
    public void Notes_on_how_the_X12_was_read_go_to_billing_staff_and_plain_assumptions_stay()
    {
        var (plain, reading) = Wording.SplitAssumptions(
        [
            "in-network deductible: no AI row states it; taken from service type 30",
            "in-network copay: rows without a coverage level (EB02) read as individual",
            "The administrator gave no accumulators: the estimate assumes none of the deductible is met.",
        ]);

        Assert.That(plain, Is.EqualTo(new[] { "The administrator gave no accumulators: the estimate assumes none of the deductible is met." }));
        Assert.That(reading, Has.Count.EqualTo(2));
    }

    [Test]
    public void Each_kind_of_answer_has_its_outcome_in_the_queue()
    {
        var time = Time(LateEvening);
        var program = new ProgramInfo(new DateOnly(2026, 12, 7), 8, 5);
        QueueOutcome Of(string status, NormalizedCoverage? coverage = null, AaaError[]? errors = null, int attempts = 1, DateTimeOffset? next = null, string? code = null)
        {
            var payload = new VerificationPayload(
                new PatientInfo("ANN", "TESTER", new DateOnly(1980, 1, 1)), new InsuranceInfo("60054", "W1", null), new DateOnly(2026, 12, 2),
                new ConsentInfo(true, "verbal"), program, null);
            var result = coverage is null && errors is null ? null : new VerificationResult
            {
                CheckedAt = LateEvening,
                Payer = new PayerInfo("60054", "AETNA"),
                Coverage = coverage,
                Errors = errors ?? [],
            };
            var summary = new VerificationSummary { Id = Guid.NewGuid(), Status = status, PayerId = "60054", Attempts = attempts, CreatedAt = LateEvening, LastErrorCode = code };
            return QueueOutcome.Of(new QueueEntry(summary, payload, result, next), time);
        }

        NormalizedCoverage Coverage(bool active, DateOnly? eligibilityEnd = null) =>
            new(active, "Choice POS II", null, null, null, null, eligibilityEnd, null, null, null, "AI");
        var notFound = new AaaError("75", "Subscriber/Insured Not Found", null, null, "2100C", AaaClass.CorrectData, false);

        Assert.Multiple(() =>
        {
            Assert.That(Of(VerificationStatus.Completed, Coverage(true)), Is.EqualTo(new QueueOutcome("active", "Active", false)));
            Assert.That(Of(VerificationStatus.Completed, Coverage(false)).Kind, Is.EqualTo("inactive"));
            Assert.That(Of(VerificationStatus.Completed, Coverage(true, new DateOnly(2026, 12, 22))).Words, Is.EqualTo("Ends mid-program (Dec 22, 2026)"));
            Assert.That(Of(VerificationStatus.NeedsReview, errors: [notFound]).Kind, Is.EqualTo("not-found"));
            Assert.That(Of(VerificationStatus.Queued, attempts: 3, next: LateEvening.AddMinutes(2)).Words, Is.EqualTo("Waiting for the payer · next try 11:32 PM"));
            Assert.That(Of(VerificationStatus.NeedsReview, code: "consent-revoked").Words, Is.EqualTo("Stopped: no valid consent"));
            Assert.That(Of(VerificationStatus.Failed).NeedsAction, Is.True);
            Assert.That(Of(VerificationStatus.InProgress).NeedsAction, Is.False);
        });
    }

    private sealed class StaticOptions(ProgramOptions value) : IOptionsMonitor<ProgramOptions>
    {
        public ProgramOptions CurrentValue => value;

        public ProgramOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ProgramOptions, string?> listener) => null;
    }
}
