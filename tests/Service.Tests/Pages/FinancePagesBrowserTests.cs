using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// Issue #19 in a real browser (Debian's Chromium, Playwright) against the service on Kestrel with its sandbox: finance
/// signs in, uploads a census of three sandbox members on the batches page, watches it complete, downloads the sandbox
/// payer's 835 for the first program week, uploads it on the remittances page (every claim matched; the same file again
/// opens the first upload), and reads the estimate accuracy: the mean absolute error $6.67 of
/// <c>SandboxRoundTripTests</c> (AETNA exact, HUMANA's deliberate $380 a day: +$20 for the coinsurance patient).
/// The service keeps the machine's clock, so the program starts next Monday and consent is given today.
/// Screenshots finance-batches.png, finance-remittances.png and finance-accuracy.png go to docs/screenshots with
/// COVERAGECHECK_UPDATE_SCREENSHOTS=1.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(180_000)]
internal sealed class FinancePagesBrowserTests
{
    private PagesHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await PagesHost.StartAsync();
        await _host.CreateUserAsync("fay.finance", "finance");
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    private static string Census(DateOnly start, DateOnly consent)
    {
        var header = "patient_ref,first_name,last_name,date_of_birth,payer_id,member_id,group_number,program_start,days_per_week,weeks,charge_per_day,consent_method,consent_date\n";
        string[] rows =
        [
            "R-1,AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100",
            "R-2,QUINN,STCREJECT,1977-05-17,61101,H500000053,HUM1200",
            "R-3,JON,MHONLY,1966-08-08,61101,H500000001,HUM1200",
        ];
        return header + string.Concat(rows.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r},{start:yyyy-MM-dd},5,8,450.00,verbal,{consent:yyyy-MM-dd}\n")));
    }

    [Test]
    public async Task Finance_runs_a_census_uploads_the_sandbox_835_and_reads_the_estimate_accuracy()
    {
        // Today where the program is (Program:TimeZone), and the next Monday after it.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.System.GetUtcNow(), TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")).DateTime);
        var toMonday = ((int)DayOfWeek.Monday - (int)today.DayOfWeek + 7) % 7;
        var start = today.AddDays(toMonday == 0 ? 7 : toMonday);
        var folder = Path.Combine(TestContext.CurrentContext.WorkDirectory, "finance-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var censusPath = Path.Combine(folder, "census-december.csv");
        await File.WriteAllTextAsync(censusPath, Census(start, today));

        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _host.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            AcceptDownloads = true,
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var consoleProblems = new List<string>();
        Chromium.CollectConsoleProblems(page, consoleProblems);

        await page.GotoAsync("/staff");
        await page.FillAsync("#username", "fay.finance");
        await page.FillAsync("#password", PagesHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(new Regex("/staff/finance/batches$"));
        await Assertions.Expect(page.Locator("nav")).ToContainTextAsync("Remittances");
        await Assertions.Expect(page.Locator("nav")).Not.ToContainTextAsync("Work queue");

        await page.SetInputFilesAsync("#census", censusPath);
        await page.ClickAsync("#census-submit");
        await page.WaitForURLAsync(new Regex(@"/staff/finance/batches\?id=[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("#batch-detail")).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = 90_000 });
        await Assertions.Expect(page.Locator("#batch-progress")).ToContainTextAsync("3 of 3 rows done (100 %)");
        await Chromium.ScreenshotAsync(page, "finance-batches", fullPage: true);

        await page.FillAsync("#through", start.AddDays(4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#batch-sandbox-835"));
        var remittancePath = Path.Combine(folder, "sandbox.835");
        await download.SaveAsAsync(remittancePath);
        Assert.That(await File.ReadAllTextAsync(remittancePath), Does.StartWith("ISA*"));

        await page.GotoAsync("/staff/finance/remittances");
        await page.SetInputFilesAsync("#remittance", remittancePath);
        await page.ClickAsync("#remittance-submit");
        await page.WaitForURLAsync(new Regex(@"/staff/finance/remittances\?id=[0-9a-f-]{36}$"));
        var first = page.Url;
        await Assertions.Expect(page.Locator("#remittance-unmatched-count")).ToHaveTextAsync("0 unmatched");
        await Assertions.Expect(page.Locator("#remittance-claims tbody tr[data-matched=yes]")).ToHaveCountAsync(3);
        await Chromium.ScreenshotAsync(page, "finance-remittances", fullPage: true);

        await page.SetInputFilesAsync("#remittance", remittancePath);
        await page.ClickAsync("#remittance-submit");
        await page.WaitForURLAsync(new Regex("again=1$"));
        Assert.That(page.Url, Does.StartWith(first), "the same file opens the first upload");
        await Assertions.Expect(page.Locator("#remittance-message")).ToContainTextAsync("uploaded before");

        await page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"/staff/finance/accuracy?from={start:yyyy-MM-dd}&to={start.AddDays(30):yyyy-MM-dd}"));
        await Assertions.Expect(page.Locator("#accuracy-mae")).ToHaveTextAsync("$6.67");
        await Assertions.Expect(page.Locator("#accuracy-by-payer tr[data-payer='61101']")).ToContainTextAsync("Set $380.00 a day");
        await Chromium.ScreenshotAsync(page, "finance-accuracy", fullPage: true);

        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#accuracy-csv"));
        var csvPath = Path.Combine(folder, "accuracy.csv");
        await csv.SaveAsAsync(csvPath);
        Assert.That(await File.ReadAllTextAsync(csvPath), Does.Contain(",R-2,61101,,1,5,860.00,840.00,20.00,"));
        Assert.That(consoleProblems, Is.Empty, string.Join("\n", consoleProblems));
    }
}
