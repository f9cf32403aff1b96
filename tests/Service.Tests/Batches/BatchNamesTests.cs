using System.Net;
using System.Text;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>
/// Issue #19: a report's changes are since the last run of the <em>same</em> census, by name (the uploaded file's name
/// or <c>?name=</c>), not since whichever batch came before; an unnamed batch is compared with none.
/// </summary>
internal sealed class BatchNamesTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.Start);
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost(clock: _clock);

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private async Task<Guid> UploadAsync(string query, int rows = 2)
    {
        using var client = _host.Client(TestApiKeys.Finance);
        using var response = await client.PostAsync("/api/v1/batches" + query, new StringContent(SandboxCensus.Build(rows), Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var body = await VerificationsHost.ReadAsync(response);
        _clock.Advance(TimeSpan.FromMinutes(5));
        return Guid.Parse((string)body["id"]!);
    }

    private async Task<BatchReport> ReportAsync(Guid id)
    {
        var service = _host.Factory.Services.GetRequiredService<BatchService>();
        var report = await service.BuildReportAsync(id, AccessContext.ForWorker("test", "report"), CancellationToken.None);
        Assert.That(report, Is.Not.Null);
        return report!;
    }

    [Test]
    public async Task The_second_run_of_a_census_is_compared_with_its_first_run_not_with_another_census_uploaded_between()
    {
        var first = await UploadAsync("?name=census-december.csv");
        var other = await UploadAsync("?name=admissions-week-49.csv", rows: 1);
        var again = await UploadAsync("?name=CENSUS-DECEMBER.csv");
        var unnamed = await UploadAsync("");

        var store = _host.Factory.Services.GetRequiredService<BatchStore>();
        var firstRecord = await store.GetAsync(first, CancellationToken.None);
        var againReport = await ReportAsync(again);
        var otherReport = await ReportAsync(other);
        var unnamedReport = await ReportAsync(unnamed);

        var againName = await store.NameAsync(again, CancellationToken.None);
        var recent = await store.ListRecentAsync(10, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(againReport.PreviousRunAt, Is.EqualTo(firstRecord!.CreatedAt), "the same census, names compared without case");
            Assert.That(otherReport.PreviousRunAt, Is.Null, "another census: its first run");
            Assert.That(unnamedReport.PreviousRunAt, Is.Null, "unnamed: compared with none");
            Assert.That(againName, Is.EqualTo("CENSUS-DECEMBER.csv"));
            Assert.That(recent.First(b => b.Id == other).Name, Is.EqualTo("admissions-week-49.csv"));
        });
    }
}
