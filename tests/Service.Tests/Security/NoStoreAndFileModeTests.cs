using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Tests.Batches;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>#14: answers that carry PHI are never cached, and the files that hold it are readable by the service's user only.</summary>
internal sealed class NoStoreAndFileModeTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Test]
    public async Task Every_answer_that_carries_PHI_says_no_store()
    {
        using var host = new VerificationsHost();
        using var admissions = host.Client(TestApiKeys.Admissions);
        using var finance = host.Client(TestApiKeys.Finance);

        using var created = await admissions.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var location = created.Headers.Location!.ToString();
        using var read = await admissions.GetAsync(location);
        using var list = await admissions.GetAsync("/api/v1/verifications");
        using var invalid = await admissions.PostAsJsonAsync("/api/v1/verifications", new { patient = new { firstName = "A" } });
        using var x12 = await admissions.PostAsync("/api/v1/eligibility/271", new StringContent(AuditCoverageTests.ThreePatients271, Encoding.UTF8, "text/plain"));
        using var upload = await finance.PostAsync("/api/v1/batches", new StringContent(Census.Header + "\n" + Census.Row(1) + "\n", Encoding.UTF8, "text/csv"));
        var batch = upload.Headers.Location!.ToString();
        using var state = await finance.GetAsync(batch);
        using var csv = await finance.GetAsync($"{batch}/report.csv");
        using var xlsx = await finance.GetAsync($"{batch}/report.xlsx");
        using var status = await admissions.GetAsync($"/staff/verifications/{location.Split('/')[^1]}/status");

        foreach (var (name, response) in new[]
        {
            ("POST verification", created), ("GET verification", read), ("GET verifications", list), ("400 verification", invalid),
            ("POST 271", x12), ("POST batch", upload), ("GET batch", state), ("report.csv", csv), ("report.xlsx", xlsx), ("staff status", status),
        })
        {
            Assert.That(response.Headers.CacheControl?.NoStore, Is.True, $"{name} ({(int)response.StatusCode}) Cache-Control: {response.Headers.CacheControl}");
        }
    }

    [Test]
    public async Task The_data_folder_database_files_and_reports_are_for_the_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes.");
            return;
        }

        using var host = new VerificationsHost();
        using var admissions = host.Client(TestApiKeys.Admissions);
        using (var created = await admissions.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember))
        {
            Assert.That((int)created.StatusCode, Is.AnyOf(201, 202));
        }

        var folder = host.DataDirectory;
        var database = Path.Combine(folder, DatabaseExtensions.DefaultSqliteFileName);
        Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerOnlyFolder), "data folder");
        foreach (var file in new[] { database, database + "-wal", database + "-shm" })
        {
            Assert.That(File.Exists(file), Is.True, file);
            Assert.That(File.GetUnixFileMode(file), Is.EqualTo(OwnerReadWrite), Path.GetFileName(file));
        }

        using var finance = host.Client(TestApiKeys.Finance);
        using var upload = await finance.PostAsync("/api/v1/batches", new StringContent(Census.Header + "\n" + Census.Row(1) + "\n", Encoding.UTF8, "text/csv"));
        var batchId = Guid.Parse(upload.Headers.Location!.ToString().Split('/')[^1]);
        using var reports = new TempFolder("reports");
        var report = new FileInfo(reports.Combine("out", "report.csv"));
        var configuration = new ConfigurationBuilder().Build();
        var context = new CommandContext(configuration, DataDirectory.From(configuration), new StringWriter(), new StringWriter());

        Assert.That(await BatchCommand.ReportAsync(finance, batchId, BatchReportFormat.Csv, report, context, CancellationToken.None), Is.EqualTo(0));
        Assert.That(File.GetUnixFileMode(report.FullName), Is.EqualTo(OwnerReadWrite), "report file");
    }

    [Test]
    public void A_database_file_left_readable_by_others_is_tightened_at_start()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Unix file modes.");
            return;
        }

        using var folder = new TempFolder("loose");
        var database = folder.Combine(DatabaseExtensions.DefaultSqliteFileName);
        File.WriteAllBytes(database, []);
        File.SetUnixFileMode(database, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(folder.Path, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        using var app = new ServiceApplication(dataFolder: folder);
        using var client = app.CreateClient();
        using var ready = client.GetAsync("/health/ready").GetAwaiter().GetResult();

        Assert.That(File.GetUnixFileMode(database), Is.EqualTo(OwnerReadWrite));
        Assert.That(File.GetUnixFileMode(folder.Path), Is.EqualTo(OwnerOnlyFolder));
    }
}
