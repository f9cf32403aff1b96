using System.Globalization;

namespace CoverageCheck.Estimator.Tests;

public sealed class ScheduleTests
{
    [TestCase(1, "Mon")]
    [TestCase(2, "Tue,Thu")]
    [TestCase(3, "Mon,Wed,Fri")]
    [TestCase(4, "Mon,Tue,Wed,Thu")]
    [TestCase(5, "Mon,Tue,Wed,Thu,Fri")]
    [TestCase(6, "Mon,Tue,Wed,Thu,Fri,Sat")]
    [TestCase(7, "Mon,Tue,Wed,Thu,Fri,Sat,Sun")]
    public void Weekdays_default_by_days_per_week(int daysPerWeek, string weekdays)
    {
        var result = CostEstimator.Estimate(Requests.Weekly(2, daysPerWeek, coverage: null));

        var expected = weekdays.Split(',').Select(ReferenceCase.Weekday).ToHashSet();
        Assert.That(result.Sessions, Is.EqualTo(2 * daysPerWeek));
        Assert.That(result.SessionsDetail.Select(s => s.Date.DayOfWeek).ToHashSet(), Is.EquivalentTo(expected));
        Assert.That(result.LastSession, Is.LessThan(Requests.Monday.AddDays(14)), "two calendar weeks from a Monday");
    }

    [Test]
    public void A_mid_week_start_carries_on_into_later_weeks_until_it_has_its_sessions()
    {
        var wednesday = new DateOnly(2025, 3, 5);

        var result = CostEstimator.Estimate(Requests.Weekly(1, 3, coverage: null, start: wednesday));

        Assert.That(Dates(result), Is.EqualTo(new[] { "2025-03-05", "2025-03-07", "2025-03-10" }));
    }

    [Test]
    public void Closed_dates_are_skipped_and_the_program_keeps_its_length()
    {
        var request = Requests.Weekly(2, 5, coverage: null, start: new DateOnly(2025, 5, 19));
        request = request with { Program = request.Program with { ClosedDates = [new DateOnly(2025, 5, 26)] } };

        var result = CostEstimator.Estimate(request);

        Assert.That(result.Sessions, Is.EqualTo(10));
        Assert.That(result.SessionsDetail.Select(s => s.Date), Does.Not.Contain(new DateOnly(2025, 5, 26)));
        Assert.That(result.LastSession, Is.EqualTo(new DateOnly(2025, 6, 2)));
    }

    [Test]
    public void Many_closed_dates_use_the_same_rule()
    {
        var closed = Enumerable.Range(0, 40).Select(i => new DateOnly(2025, 3, 4).AddDays(i * 7)).ToArray(); // every Tuesday
        var request = Requests.Weekly(4, 5, coverage: null);
        request = request with { Program = request.Program with { ClosedDates = closed } };

        var result = CostEstimator.Estimate(request);

        Assert.That(result.Sessions, Is.EqualTo(20));
        Assert.That(result.SessionsDetail.Select(s => s.Date.DayOfWeek), Has.None.EqualTo(DayOfWeek.Tuesday));
        Assert.That(result.LastSession, Is.EqualTo(new DateOnly(2025, 4, 4)));
    }

    [Test]
    public void Explicit_weekdays_are_used_instead_of_the_default()
    {
        var request = Requests.Weekly(2, 2, coverage: null);
        request = request with { Program = request.Program with { SessionWeekdays = [DayOfWeek.Saturday, DayOfWeek.Sunday] } };

        var result = CostEstimator.Estimate(request);

        Assert.That(Dates(result), Is.EqualTo(new[] { "2025-03-08", "2025-03-09", "2025-03-15", "2025-03-16" }));
    }

    [Test]
    public void Explicit_session_dates_are_the_schedule_sorted_without_closed_days()
    {
        var request = Requests.OnDates(null, new Pricing(100m), new DateOnly(2025, 3, 12), new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 7));
        request = request with { Program = request.Program with { ClosedDates = [new DateOnly(2025, 3, 7)] } };

        var result = CostEstimator.Estimate(request);

        Assert.That(Dates(result), Is.EqualTo(new[] { "2025-03-03", "2025-03-12" }));
        Assert.That(result.Totals.Patient, Is.EqualTo(200m));
    }

    [Test]
    public void A_schedule_whose_every_day_is_closed_is_empty_and_costs_nothing()
    {
        var request = Requests.OnDates(null, new Pricing(100m), new DateOnly(2025, 3, 3));
        request = request with { Program = request.Program with { ClosedDates = [new DateOnly(2025, 3, 3)] } };

        var result = CostEstimator.Estimate(request);

        Assert.That((result.Sessions, result.FirstSession, result.LastSession, result.Totals.Patient), Is.EqualTo((0, (DateOnly?)null, (DateOnly?)null, 0m)));
        Assert.That(result.Monthly, Is.Empty);
        Assert.That(result.Explanation, Does.Contain("No sessions"));
    }

    [Test]
    public void The_longest_program_52_weeks_of_7_days_is_priced()
    {
        var result = CostEstimator.Estimate(Requests.Weekly(52, 7, Requests.InNetwork()));

        Assert.That(result.Sessions, Is.EqualTo(364));
        Assert.That(result.Monthly.Sum(m => m.Sessions), Is.EqualTo(364));
    }

    private static string[] Dates(EstimateResult result) =>
        result.SessionsDetail.Select(s => s.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
}
