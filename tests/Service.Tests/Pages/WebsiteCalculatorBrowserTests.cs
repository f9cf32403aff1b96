using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// Issue #18, the PHI-free path, in a real browser (Debian's Chromium, Playwright): the public website's calculator
/// (samples/website, served by <see cref="PagesHost"/> from a second loopback origin) against the real service. A blank
/// field is unknown, never 0; the insurer picker and its typical presets come from <c>GET /api/v1/payers</c>.
/// Screenshots <c>website-calculator-*.png</c> go to docs/screenshots with COVERAGECHECK_UPDATE_SCREENSHOTS=1.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
internal sealed partial class WebsiteCalculatorBrowserTests
{
    private PagesHost _host = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IBrowserContext _context = null!;
    private IPage _page = null!;
    private readonly List<string> _consoleProblems = [];

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        _host = await PagesHost.StartAsync();
        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [SetUp]
    public Task NewContextAsync() => OpenAsync(new BrowserNewContextOptions());

    [TearDown]
    public async Task CloseContextAsync()
    {
        await _context.CloseAsync();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync($"--- service log (Warning and above) ---\n{_host.Log}");
        }
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

    private string CalculatorUrl => new Uri(_host.WebsiteOrigin, "calculator.html").ToString();

    [GeneratedRegex(@"\$0\.00")]
    private static partial Regex ZeroDollars();

    [Test]
    public async Task A_blank_out_of_pocket_maximum_is_unknown_never_zero_issue_18()
    {
        // The bug of #18: a blank out-of-pocket field was sent as 0, so the answer was "About $0.00".
        await _page.GotoAsync(CalculatorUrl);
        await _page.FillAsync("#start", "2026-03-02");
        await _page.FillAsync("#deductible", "1500");
        await _page.FillAsync("#coinsurance", "20");
        await _page.FillAsync("#oop", "");
        await _page.ClickAsync("button[type=submit]");

        await Assertions.Expect(_page.Locator("#total")).ToContainTextAsync("40 session days");
        Assert.That(await _page.Locator("#total").InnerTextAsync(), Does.Not.Match(ZeroDollars()), "a blank out-of-pocket maximum is not a $0 cap");
        await Assertions.Expect(_page.Locator("#assumptions")).ToContainTextAsync("out-of-pocket maximum");
        Assert.That(_consoleProblems, Is.Empty, "console errors, CORS or CSP violations");
    }

    [Test]
    public async Task A_blank_deductible_shows_the_range_over_it_and_says_what_was_assumed()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.FillAsync("#start", "2026-03-02");
        await _page.FillAsync("#coinsurance", "20");
        await _page.FillAsync("#oop", "6000");
        await _page.ClickAsync("button[type=submit]");

        // 40 days at the rate card's $400 allowed: no deductible left gives 20 % of $16,000; a $6,000 one reaches the cap.
        await Assertions.Expect(_page.Locator("#total")).ToHaveTextAsync("Between $3,200.00 and $6,000.00 for 40 session days");
        await Assertions.Expect(_page.Locator("#assumptions")).ToContainTextAsync("Your deductible is not known");
        await Assertions.Expect(_page.Locator("#assumptions")).ToContainTextAsync("in your plan's network");
        await Assertions.Expect(_page.Locator("#explanation")).Not.ToBeEmptyAsync();
        await Assertions.Expect(_page.Locator("#monthly tr").First).ToContainTextAsync("March 2026");
        // (A month after the out-of-pocket maximum is reached may rightly cost $0.00; the figures for the program may not.)
        Assert.That(await _page.Locator("#total").InnerTextAsync() + await _page.Locator("#range").InnerTextAsync(), Does.Not.Match(ZeroDollars()), "no $0 for an unknown");
        Assert.That(await _page.Locator("#monthly-head th").AllInnerTextsAsync(), Is.EqualTo(new[] { "Month", "Days", "You pay, at least", "You pay, at most" }));
        // The higher case reaches its maximum in March, so April costs it less than the lower case: each month still
        // shows its own least and most (April: $0.00 to $1,440.00), never a "most" below the "least".
        foreach (var row in await _page.Locator("#monthly tr").AllAsync())
        {
            var cells = await row.Locator("td").AllInnerTextsAsync();
            Assert.That(decimal.Parse(cells[1].TrimStart('$'), System.Globalization.NumberStyles.Currency, System.Globalization.CultureInfo.InvariantCulture),
                Is.LessThanOrEqualTo(decimal.Parse(cells[2].TrimStart('$'), System.Globalization.NumberStyles.Currency, System.Globalization.CultureInfo.InvariantCulture)), await row.InnerTextAsync());
        }

        Assert.That(await _page.Locator("#monthly tr").Nth(1).Locator("th, td").AllInnerTextsAsync(), Is.EqualTo(new[] { "April 2026", "18", "$0.00", "$1,440.00" }));
        await Assertions.Expect(_page.Locator("#result-heading")).ToBeFocusedAsync();
        await Assertions.Expect(_page.Locator("#result-heading")).ToBeInViewportAsync();
        await ScreenshotAsync("website-calculator-blank");
        Assert.That(_consoleProblems, Is.Empty, "console errors, CORS or CSP violations");
    }

    [Test]
    public async Task With_every_benefit_blank_the_calculator_asks_rather_than_guesses()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.ClickAsync("button[type=submit]");

        await Assertions.Expect(_page.Locator("#deductible-error")).ToContainTextAsync("Enter at least one of your deductible, coinsurance or copay");
        await Assertions.Expect(_page.Locator("#deductible")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(_page.Locator("#deductible")).ToBeFocusedAsync();
        await Assertions.Expect(_page.Locator("#result")).ToBeHiddenAsync();
    }

    [Test]
    public async Task A_typical_preset_of_an_in_network_insurer_prefills_labelled_benefits()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.Locator("#payer option[value='60054']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await _page.SelectOptionAsync("#payer", "60054");
        await Assertions.Expect(_page.Locator("#payer-status")).ToHaveTextAsync("We are in network with AETNA.");
        await _page.SelectOptionAsync("#preset", new SelectOptionValue { Label = "Typical PPO (typical, not your own plan)" });
        await Assertions.Expect(_page.Locator("#preset-note")).ToContainTextAsync("typical figures, not your own plan's");
        await Assertions.Expect(_page.Locator("#deductible")).ToHaveValueAsync("1500");
        await Assertions.Expect(_page.Locator("#coinsurance")).ToHaveValueAsync("20");
        await Assertions.Expect(_page.Locator("#oop")).ToHaveValueAsync("6000");
        await Assertions.Expect(_page.Locator("#network-in")).ToBeCheckedAsync();
        await _page.FillAsync("#start", "2026-03-02");
        await _page.ClickAsync("button[type=submit]");

        // $1,500 deductible, then 20 % of the other $14,500 of 40 days at $400 allowed.
        await Assertions.Expect(_page.Locator("#total")).ToHaveTextAsync("About $4,400.00 for 40 session days");
        await Assertions.Expect(_page.Locator("#assumptions")).ToContainTextAsync("typical AETNA plan (Typical PPO), not your own plan's");
        await Assertions.Expect(_page.Locator("#range")).ToContainTextAsync(new Regex(@"\$[0-9,]+\.\d\d to \$[0-9,]+\.\d\d"));
        Assert.That(await _page.Locator("input").EvaluateAllAsync<string[]>("inputs => inputs.map(i => i.id)"),
            Has.None.Contains("name").And.None.Contains("member").And.None.Contains("birth"), "the calculator never collects identifiers");
        await ScreenshotAsync("website-calculator-preset");
        Assert.That(_consoleProblems, Is.Empty, "console errors, CORS or CSP violations");
    }

    [Test]
    public async Task An_out_of_network_insurer_adds_the_balance_bill()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.Locator("#payer option[value='87726']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await _page.SelectOptionAsync("#payer", "87726");
        await Assertions.Expect(_page.Locator("#payer-status")).ToContainTextAsync("We are out of network with UNITEDHEALTHCARE");
        await Assertions.Expect(_page.Locator("#network-out")).ToBeCheckedAsync();
        await _page.SelectOptionAsync("#preset", new SelectOptionValue { Index = 1 });
        await _page.FillAsync("#start", "2026-03-02");
        await _page.ClickAsync("button[type=submit]");

        // $3,000 deductible + 40 % of $13,000, plus $50 a day between the $450 charge and the $400 allowed.
        await Assertions.Expect(_page.Locator("#total")).ToHaveTextAsync("About $10,200.00 for 40 session days");
        await Assertions.Expect(_page.Locator("#warnings")).Not.ToBeEmptyAsync();
        await ScreenshotAsync("website-calculator-out-of-network");
        Assert.That(_consoleProblems, Is.Empty, "console errors, CORS or CSP violations");
    }

    [Test]
    public async Task The_visitor_chooses_out_of_network_for_an_insurer_not_listed()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.SelectOptionAsync("#payer", "other");
        await _page.CheckAsync("#network-out");
        await _page.FillAsync("#start", "2026-03-02");
        await _page.FillAsync("#deductible", "3000");
        await _page.FillAsync("#coinsurance", "40");
        await _page.ClickAsync("button[type=submit]");

        await Assertions.Expect(_page.Locator("#total")).ToHaveTextAsync("About $10,200.00 for 40 session days");
        await Assertions.Expect(_page.Locator("#assumptions")).ToContainTextAsync("out-of-network out-of-pocket maximum is not known");
        Assert.That(await _page.Locator("#assumptions").InnerTextAsync(), Does.Not.Contain("assumed our program is in your plan's network"));
    }

    [Test]
    public async Task The_service_names_a_bad_field_and_the_page_shows_it_next_to_that_field()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.FillAsync("#coinsurance", "20");
        await _page.FillAsync("#weeks", "60");
        await _page.ClickAsync("button[type=submit]");

        await Assertions.Expect(_page.Locator("#weeks-error")).ToBeVisibleAsync();
        await Assertions.Expect(_page.Locator("#weeks")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(_page.Locator("#error")).ToBeHiddenAsync();
    }

    [Test]
    public async Task When_the_service_cannot_be_reached_the_visitor_is_told_so_plainly()
    {
        await _page.RouteAsync("**/api/v1/**", route => route.AbortAsync());
        await _page.GotoAsync(CalculatorUrl);
        await Assertions.Expect(_page.Locator("#payer-status")).ToContainTextAsync("could not load our list of insurers");
        await _page.FillAsync("#coinsurance", "20");
        await _page.ClickAsync("button[type=submit]");

        await Assertions.Expect(_page.Locator("#error")).ToContainTextAsync("We could not reach our cost estimate service just now");
        Assert.That(await _page.Locator("#error").InnerTextAsync(), Does.Not.Contain("Failed to fetch"));
    }

    [Test]
    public async Task The_default_start_date_is_next_monday_in_the_visitors_own_time_zone()
    {
        await OpenAsync(new BrowserNewContextOptions { TimezoneId = "America/Los_Angeles" });
        // Sunday 6 December 2026, 22:30 in Los Angeles, is already Monday 7 December in UTC.
        await _page.Clock.SetFixedTimeAsync(new DateTime(2026, 12, 7, 6, 30, 0, DateTimeKind.Utc));
        await _page.GotoAsync(CalculatorUrl);

        await Assertions.Expect(_page.Locator("#start")).ToHaveValueAsync("2026-12-07");
    }

    [Test]
    public async Task The_calculator_works_from_the_keyboard_alone()
    {
        await _page.GotoAsync(CalculatorUrl);
        await _page.Locator("#payer option[value='60054']").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await _page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(_page.Locator("#payer")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("ArrowDown"); // the first insurer
        await Assertions.Expect(_page.Locator("#payer-status")).ToHaveTextAsync("We are in network with AETNA.");
        await _page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(_page.Locator("#preset")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("ArrowDown"); // its first typical plan
        await Assertions.Expect(_page.Locator("#deductible")).ToHaveValueAsync("1500");
        await _page.Keyboard.PressAsync("Tab"); // the network radios
        await _page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(_page.Locator("#deductible")).ToBeFocusedAsync();
        await _page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(_page.Locator("#total")).ToContainTextAsync(new Regex(@"^About \$[0-9,]+\.\d\d for 40 session days$"));
        await Assertions.Expect(_page.Locator("#result-heading")).ToBeFocusedAsync();
    }

    [Test]
    public async Task The_calculator_has_no_serious_accessibility_violations_axe_core()
    {
        // axe is injected as an inline script, which the page's own policy (script-src 'self') rightly refuses.
        await OpenAsync(new BrowserNewContextOptions { BypassCSP = true });
        await _page.GotoAsync(CalculatorUrl);
        await _page.Locator("#payer option[value='60054']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await _page.SelectOptionAsync("#payer", "60054");
        await _page.SelectOptionAsync("#preset", new SelectOptionValue { Index = 1 });
        await _page.FillAsync("#deductible", "");
        await _page.ClickAsync("button[type=submit]");
        await Assertions.Expect(_page.Locator("#result")).ToBeVisibleAsync();
        // axe-core itself comes with the Deque.AxeCore.Playwright package (NuGet): nothing to install beside the SDK.
        var results = await _page.RunAxe();

        var violations = results.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        await TestContext.Out.WriteLineAsync($"axe-core {results.TestEngine?.Version}: {results.Passes.Length} rules passed; violations (any impact): {string.Join("; ", violations)}");
        Assert.That(results.Passes, Is.Not.Empty, "axe ran its rules on the page");
        Assert.That(results.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => v.Id), Is.Empty, "serious or critical accessibility violations");
    }

    private Task ScreenshotAsync(string name) => Chromium.ScreenshotAsync(_page, name, fullPage: true);
}

internal sealed partial class WebsiteCalculatorBrowserTests
{
    private async Task OpenAsync(BrowserNewContextOptions options)
    {
        if (_context is not null)
        {
            await _context.CloseAsync();
        }

        _consoleProblems.Clear();
        options.ViewportSize ??= new ViewportSize { Width = 1000, Height = 900 };
        _context = await _browser.NewContextAsync(options);
        _context.SetDefaultTimeout(30_000);
        _page = await _context.NewPageAsync();
        Chromium.CollectConsoleProblems(_page, _consoleProblems);
    }
}
