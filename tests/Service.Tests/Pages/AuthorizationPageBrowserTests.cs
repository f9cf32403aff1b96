using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// Issue #17 in a real browser (Debian's Chromium, Playwright) against the service on Kestrel with the sandbox: admissions
/// records the payer's authorisation on the result page and sees the estimate split by it. The screenshot
/// <c>result-authorization-split.png</c> goes to docs/screenshots with COVERAGECHECK_UPDATE_SCREENSHOTS=1.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
internal sealed partial class AuthorizationPageBrowserTests
{
    private PagesHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await PagesHost.StartAsync();
        await _host.CreateUserAsync("ana.admissions", "admissions");
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

    [GeneratedRegex(@"^\$[0-9,]+\.\d\d$")]
    private static partial Regex Money();

    [Test]
    public async Task Admissions_records_ten_approved_days_and_the_estimate_is_split_within_and_beyond()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var consoleProblems = new List<string>();
        Chromium.CollectConsoleProblems(page, consoleProblems);

        await page.GotoAsync("/staff/verify");
        await page.FillAsync("#username", "ana.admissions");
        await page.FillAsync("#password", PagesHost.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(url => !url.Contains("/staff/sign-in", StringComparison.Ordinal));
        await page.FillAsync("#firstName", "AVA");
        await page.FillAsync("#lastName", "PPOSAMPLE");
        await page.FillAsync("#dateOfBirth", "1985-04-12");
        await page.FillAsync("#payerId", "60054");
        await page.FillAsync("#memberId", "W100000001");
        await page.SelectOptionAsync("#daysPerWeek", "5");
        await page.SelectOptionAsync("#weeks", "8");
        await page.CheckAsync("#consent");
        await page.ClickAsync("#verify-submit");
        await page.WaitForURLAsync(new Regex("/staff/verifications/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active");
        var total = await page.Locator("#patient-total").InnerTextAsync();
        await Assertions.Expect(page.Locator("#contract")).ToHaveTextAsync("none for this plan: the payer's default applies");

        // No authorisation yet: the form is open, its dates start at the first session.
        await Assertions.Expect(page.Locator("#authorization-split")).ToHaveCountAsync(0);
        var from = await page.InputValueAsync("#authEffectiveDate");
        Assert.That(from, Does.Match(@"^\d{4}-\d\d-\d\d$"), "the first session, filled in");

        // A bad phone number is refused by field, the form kept as typed.
        await page.FillAsync("#authNumber", "AUTH-77X1");
        await page.FillAsync("#authDays", "10");
        await page.FillAsync("#authNextReviewDate", DateOnly.ParseExact(from, "yyyy-MM-dd").AddDays(9).ToString("yyyy-MM-dd"));
        await page.FillAsync("#reviewerName", "R. NURSE");
        await page.FillAsync("#reviewerPhone", "call me");
        await page.ClickAsync("#authorization-submit");
        await Assertions.Expect(page.Locator("#authorization-errors")).ToContainTextAsync("reviewer.phone");
        Assert.That(await page.InputValueAsync("#authNumber"), Is.EqualTo("AUTH-77X1"));

        await page.FillAsync("#reviewerPhone", "(800) 555-0142");
        await page.ClickAsync("#authorization-submit");
        await page.WaitForURLAsync(new Regex("#authorization$"));

        await Assertions.Expect(page.Locator("#sessions-split")).ToHaveTextAsync("10 · 30");
        await Assertions.Expect(page.Locator("#authorization-summary")).ToContainTextAsync("10 of 40 session days are authorised; 30 are beyond");
        await Assertions.Expect(page.Locator("#patient-within")).ToHaveTextAsync(Money());
        await Assertions.Expect(page.Locator("#patient-if-extended")).ToHaveTextAsync(total); // if extended: the whole program's total
        await Assertions.Expect(page.Locator("[data-warning=beyond-authorization]")).ToBeVisibleAsync();
        var row = page.Locator("#authorizations tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("AUTH-77X1");
        await Assertions.Expect(row).ToContainTextAsync("Approved");
        await Assertions.Expect(row).ToContainTextAsync("(800) 555-0142");
        Assert.That(decimal.Parse((await page.Locator("#patient-within").InnerTextAsync()).TrimStart('$'), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture),
            Is.LessThan(decimal.Parse(total.TrimStart('$'), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture)));

        // The authorisation card as staff see it (the split, the record), and the whole page for the results.
        await Chromium.ScreenshotAsync(page, "result-authorization-split", element: page.Locator("#authorization"));
        await Chromium.ScreenshotAsync(page, "result-authorization-page", toDocs: false, fullPage: true);

        Assert.That(consoleProblems, Is.Empty, "console errors or CSP violations");
    }
}
