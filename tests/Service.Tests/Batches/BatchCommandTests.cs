using System.Text;
using ClosedXML.Excel;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>The <c>batch run</c> and <c>batch report</c> commands against the real service in memory.</summary>
internal sealed class BatchCommandTests
{
    private VerificationsHost _host = null!;
    private TempFolder _files = null!;
    private string _folder = null!;

    [OneTimeSetUp]
    public void StartHost()
    {
        _host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:MaxAttempts"] = "2" });
        _files = new TempFolder("batch-command");
        _folder = _files.Path;
    }

    [OneTimeTearDown]
    public void StopHost()
    {
        _host.Dispose();
        _files.Dispose();
    }

    [Test]
    public async Task Run_uploads_follows_and_writes_the_workbook_and_exits_1_when_rows_were_rejected()
    {
        var census = await WriteCensusAsync(Census.Header + "\n" + Census.Row(1).Replace("W000000001", "W100000001", StringComparison.Ordinal) + "\nBAD-1,,NONAME,1980-01-01,60054,W1,,2026-12-07,5,8,,verbal,2026-11-20\n");
        var report = new FileInfo(Path.Combine(_folder, "out", "report.xlsx"));
        var (context, output, error) = Context();
        using var client = _host.Client(TestApiKeys.Finance);

        var exit = await BatchCommand.RunAsync(client, census, report, BatchReportFormat.Xlsx, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), context, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.RowsRejected), error.ToString());
        Assert.That(output.ToString(), Does.Contain("1 rows queued, 1 rejected").And.Contain("Report written to " + report.FullName));
        Assert.That(error.ToString(), Does.Contain("line 3 (BAD-1): missing-value: first_name is missing."));
        using var workbook = new XLWorkbook(report.FullName);
        var sheet = workbook.Worksheet(XlsxReportWriter.ReportSheet);
        Assert.That(sheet.Cell(2, 1).GetString(), Is.EqualTo("P-00001"));
        Assert.That(sheet.Cell(3, 2).GetString(), Is.EqualTo("rejected"));
    }

    [Test]
    public async Task Run_exits_0_when_every_row_was_accepted_and_report_fetches_it_again()
    {
        var census = await WriteCensusAsync(Census.Header + "\nOK-1,AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100,2026-12-07,5,8,450.00,verbal,2026-11-20\n");
        var report = new FileInfo(Path.Combine(_folder, "ok.csv"));
        var (context, output, _) = Context();
        using var client = _host.Client(TestApiKeys.Finance);

        var exit = await BatchCommand.RunAsync(client, census, report, BatchReportFormat.Csv, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), context, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.Success));
        var batchId = Guid.Parse(output.ToString().Split("Batch ")[1][..36]);
        var html = new FileInfo(Path.Combine(_folder, "again.html"));
        var again = await BatchCommand.ReportAsync(client, batchId, BatchReportFormat.Html, html, Context().Context, CancellationToken.None);
        Assert.That(again, Is.EqualTo(BatchExitCodes.Success));
        Assert.That(await File.ReadAllTextAsync(html.FullName), Does.Contain("OK-1").And.Contain("<svg"));
        Assert.That((await File.ReadAllLinesAsync(report.FullName))[1], Does.StartWith("OK-1,completed,true,60054,1300.00"));
    }

    [Test]
    public async Task A_batch_still_running_at_the_timeout_exits_5_and_still_writes_what_is_known()
    {
        // The sandbox's slow payer answers after Sandbox:SlowLatencyMs (20 s): still running at the 1 ms timeout on any machine.
        var census = await WriteCensusAsync(Census.Header + "\nSLOW-1,NIA,SLOWPAYER,1983-03-13,00710,R600000001,REG001,2026-12-07,5,8,450.00,verbal,2026-11-20\n");
        var report = new FileInfo(Path.Combine(_folder, "partial.csv"));
        var (context, _, error) = Context();
        using var client = _host.Client(TestApiKeys.Finance);

        var exit = await BatchCommand.RunAsync(client, census, report, BatchReportFormat.Csv, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(100), context, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.TimedOut));
        Assert.That(error.ToString(), Does.Contain("is still running").And.Contain("partial.csv holds the rows finished so far"));
        Assert.That((await File.ReadAllLinesAsync(report.FullName))[1], Does.StartWith("SLOW-1,"));
    }

    [Test]
    public async Task A_refused_census_exits_3_and_says_why()
    {
        var census = await WriteCensusAsync("who,what\nx,y\n");
        var (context, _, error) = Context();
        using var client = _host.Client(TestApiKeys.Finance);

        var exit = await BatchCommand.RunAsync(client, census, new FileInfo(Path.Combine(_folder, "never.xlsx")), BatchReportFormat.Xlsx, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), context, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.CensusRefused));
        Assert.That(error.ToString(), Does.Contain("Line 1: The header line is not the census header"));
        Assert.That(File.Exists(Path.Combine(_folder, "never.xlsx")), Is.False);
    }

    [Test]
    public async Task A_key_without_the_finance_role_exits_4()
    {
        var census = await WriteCensusAsync(Census.Header + "\n" + Census.Row(1) + "\n");
        var (context, _, error) = Context();
        using var client = _host.Client(TestApiKeys.Admissions);

        var exit = await BatchCommand.RunAsync(client, census, new FileInfo(Path.Combine(_folder, "x.csv")), BatchReportFormat.Csv, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100), context, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.ServiceError));
        Assert.That(error.ToString(), Does.Contain("403").And.Contain("finance role"));
    }

    [Test]
    public async Task Report_of_an_unknown_batch_exits_2()
    {
        var (context, _, error) = Context();
        using var client = _host.Client(TestApiKeys.Finance);

        var exit = await BatchCommand.ReportAsync(client, Guid.NewGuid(), BatchReportFormat.Csv, new FileInfo(Path.Combine(_folder, "none.csv")), context, CancellationToken.None);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.Usage));
        Assert.That(error.ToString(), Does.StartWith("There is no batch"));
    }

    [TestCase("batch run /no/such/census.csv --out r.xlsx --api-key k", "does not exist")]
    [TestCase("batch run {census} --out report.pdf --api-key k", "must end in .csv, .xlsx or .html")]
    [TestCase("batch report 0195f1d2-0000-7000-8000-000000000000 --format pdf --api-key k", "--format must be csv, xlsx or html")]
    public async Task Bad_arguments_exit_2(string arguments, string message)
    {
        var census = await WriteCensusAsync(Census.Header + "\n");
        var (_, output, error) = Context();

        var exit = await CommandLine.RunAsync(arguments.Replace("{census}", census.FullName, StringComparison.Ordinal).Split(' '), new ConfigurationBuilder().Build(), output, error);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.Usage));
        Assert.That(error.ToString(), Does.Contain(message));
    }

    [Test]
    public async Task An_unreachable_service_exits_4()
    {
        var census = await WriteCensusAsync(Census.Header + "\n" + Census.Row(1) + "\n");
        var (_, output, error) = Context();

        // Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
        var exit = await CommandLine.RunAsync(["batch", "run", census.FullName, "--out", Path.Combine(_folder, "u.csv"), "--api-key", "k", "--url", "http://127.0.0.1:9"], new ConfigurationBuilder().Build(), output, error);

        Assert.That(exit, Is.EqualTo(BatchExitCodes.ServiceError), error.ToString());
        Assert.That(error.ToString(), Does.Contain("cannot be reached"));
    }

    private (CommandContext Context, StringWriter Output, StringWriter Error) Context()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = _folder }).Build();
        return (new CommandContext(configuration, DataDirectory.From(configuration), output, error), output, error);
    }

    private async Task<FileInfo> WriteCensusAsync(string text)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".csv");
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false));
        return new FileInfo(path);
    }
}
