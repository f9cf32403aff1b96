using CoverageCheck.Service.Tests.Pages;
using Microsoft.Playwright;

namespace CoverageCheck.Service.Tests.Intake;

/// <summary>
/// samples/website/verify.html end to end in Chromium (issue #18): the visitor reads the consent, fills in the form and
/// sees only the acknowledgement; admissions then find the request in the work queue as a web request with the
/// callback preference and the payer's answer a click away. Same host and browser set-up as StaffPagesBrowserTests.
/// Screenshots go to docs/screenshots with COVERAGECHECK_UPDATE_SCREENSHOTS=1.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
internal sealed class WebsiteVerifyBrowserTests
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

    [Test]
    public async Task A_visitor_sends_a_consented_request_and_admissions_find_it_in_the_queue()
    {
        await using var visitor = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 900, Height = 1400 } });
        visitor.SetDefaultTimeout(30_000);
        var page = await visitor.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) =>
        {
            // The payer list (GET /api/v1/payers) is optional for this page: the insurer's name can be typed.
            if (message.Type is "error" && !message.Text.Contains("payers", StringComparison.Ordinal) && !message.Text.Contains("Failed to load resource", StringComparison.Ordinal))
            {
                console.Add(message.Text);
            }
        };

        await page.GotoAsync(new Uri(_host.WebsiteOrigin, "verify.html").ToString());
        await Assertions.Expect(page.Locator("#consentText")).ToContainTextAsync("42 CFR Part 2");
        await Assertions.Expect(page.Locator("#consentText")).ToContainTextAsync("revoke");

        // A mistake first: the error is shown next to its field, and nothing was kept.
        await page.FillAsync("#firstName", "AVA");
        await page.FillAsync("#lastName", "PPOSAMPLE");
        await page.FillAsync("#dateOfBirth", "1985-04-12");
        await page.FillAsync("#payerName", "Aetna");
        await page.FillAsync("#memberId", "W100000001");
        await page.FillAsync("#phone", "12");
        await page.FillAsync("#bestTime", "Weekday mornings");
        await page.CheckAsync("#mayLeaveMessage");
        await page.FillAsync("#signature", "Ava Pposample");
        // The service refuses a form returned within 3 s of loading it.
        await Task.Delay(TimeSpan.FromSeconds(3.5));
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("#phone-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#phone")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.FillAsync("#phone", "(555) 201-3344");
        await Assertions.Expect(page.Locator("#phone-error")).ToBeHiddenAsync();
        await Shot(page, "website-verify-form", fullPage: true);
        await page.ClickAsync("#send");
        await Assertions.Expect(page.Locator("#ack")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#ackMessage")).ToHaveTextAsync("Thank you. Our admissions team will call you.");
        await Assertions.Expect(page.Locator("#verify")).ToBeHiddenAsync();
        var reference = (await page.Locator("#ackReference").TextContentAsync())!;
        Assert.That(reference, Does.Match("^W-[A-Z2-9]{8}$"));
        var shown = await page.Locator("main").InnerTextAsync();
        Assert.That(shown, Does.Not.Contain("deductible").IgnoreCase.And.Not.Contain("covered").IgnoreCase.And.Not.Contain("active").IgnoreCase);
        await Shot(page, "website-verify-ack");

        // Admissions: the request is in the work queue as a web request, with how to call back.
        await using var staff = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        staff.SetDefaultTimeout(30_000);
        var admissions = await staff.NewPageAsync();
        await admissions.GotoAsync("/staff/verify");
        await admissions.FillAsync("#username", "ana.admissions");
        await admissions.FillAsync("#password", PagesHost.Password);
        await admissions.ClickAsync("button[type=submit]");
        await admissions.WaitForURLAsync(url => !url.Contains("/staff/sign-in", StringComparison.Ordinal));
        await admissions.GotoAsync("/staff/queue");
        var row = admissions.Locator("#queue-web tr.web-request", new PageLocatorOptions { HasText = reference });
        await Assertions.Expect(row).ToContainTextAsync("website");
        await Assertions.Expect(row).ToContainTextAsync("(555) 201-3344");
        await Assertions.Expect(row).ToContainTextAsync("Weekday mornings · may leave a message");
        await Assertions.Expect(row).ToContainTextAsync("AETNA");
        await Assertions.Expect(row).ToContainTextAsync("The payer's answer");
        await Shot(admissions, "queue-web-request", fullPage: true);

        await row.Locator("a[href^=\"/staff/intake/\"]").ClickAsync();
        await Assertions.Expect(admissions.Locator("#web-request-phone")).ToHaveTextAsync("(555) 201-3344");
        await admissions.ClickAsync("#web-request-verification");
        await Assertions.Expect(admissions.Locator("h1")).ToBeVisibleAsync();
        await Assertions.Expect(admissions.Locator("body")).ToContainTextAsync("AETNA", new LocatorAssertionsToContainTextOptions { Timeout = 30_000 });
        Assert.That(console, Is.Empty, string.Join("\n", console));
    }

    private static Task Shot(IPage page, string name, bool fullPage = false) => Chromium.ScreenshotAsync(page, name, fullPage: fullPage);
}
