using System.Diagnostics;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Pages;
using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// The staff pages end to end in a real browser (Debian's Chromium driven by Playwright) against the real service on
/// Kestrel with the sandbox clearinghouse. Screenshots are attached to the results (and copied to docs/screenshots with COVERAGECHECK_UPDATE_SCREENSHOTS=1).
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
internal sealed class StaffPagesBrowserTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

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
        await _host.CreateUserAsync("ana.admissions", "admissions");
        await _host.CreateUserAsync("fin.finance", "finance");
        await _host.CreateUserAsync("web.site", "website");

        (_playwright, _browser) = await Chromium.LaunchAsync();
    }

    [SetUp]
    public async Task NewContextAsync()
    {
        _consoleProblems.Clear();
        _context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _host.BaseAddress.ToString(), AcceptDownloads = true, ViewportSize = new ViewportSize { Width = 1100, Height = 900 } });
        _context.SetDefaultTimeout((float)s_wait.TotalMilliseconds);
        _page = await _context.NewPageAsync();
        Chromium.CollectConsoleProblems(_page, _consoleProblems);
    }

    [TearDown]
    public async Task CloseContextAsync()
    {
        await _context.CloseAsync();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            // The service runs as a child process: its warnings and errors explain a page that did not change.
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

    [Test]
    public async Task Admissions_signs_in_verifies_a_PPO_member_and_sees_benefits_and_the_estimate()
    {
        await SignInAsync("ana.admissions");
        await Assertions.Expect(_page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/staff/verify$"));
        await FillVerifyFormAsync("AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000001");
        await ScreenshotAsync("verify-form", key: true);

        await SubmitVerificationAsync();
        Assert.That(_page.Url, Does.Match("/staff/verifications/[0-9a-f-]{36}$"), "the result is addressed by the verification id only");
        Assert.That(_page.Url, Does.Not.Contain("PPOSAMPLE").And.Not.Contain("W100000001").And.Not.Contain("1985"));

        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active");
        var inNetwork = _page.Locator(".tier", new() { HasText = "In network" });
        await Assertions.Expect(inNetwork).ToContainTextAsync("$1,500.00 total");
        await Assertions.Expect(inNetwork).ToContainTextAsync("$1,300.00 left");
        await Assertions.Expect(inNetwork).ToContainTextAsync("20 %");
        await Assertions.Expect(inNetwork).ToContainTextAsync("required");
        Assert.That(await inNetwork.Locator("meter").CountAsync(), Is.GreaterThanOrEqualTo(2), "deductible and out-of-pocket as bars");
        await Assertions.Expect(_page.Locator(".tier", new() { HasText = "Out of network" })).ToContainTextAsync("$3,000.00 total");

        await Assertions.Expect(_page.Locator("#patient-total")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\$[0-9,]+\.\d\d$"));
        await Assertions.Expect(_page.Locator("#estimate-range")).ToContainTextAsync("8 weeks × 3 days");
        Assert.That(await _page.Locator("svg.chart rect.chart-patient").CountAsync(), Is.GreaterThanOrEqualTo(2), "one bar per month");
        await Assertions.Expect(_page.Locator("[data-warning=prior-authorization-required]")).ToBeVisibleAsync();
        await ScreenshotAsync("result-completed", key: true, fullPage: true);

        // The page is served with the strict policy, never cached, and the browser reported no violation.
        var response = await _page.ReloadAsync();
        var headers = await response!.AllHeadersAsync();
        Assert.That(headers["content-security-policy"], Is.EqualTo(SecurityHeadersMiddleware.ContentSecurityPolicy));
        Assert.That(headers["cache-control"], Is.EqualTo("no-store"));
        Assert.That(headers["x-frame-options"], Is.EqualTo("DENY"));

        // The print summary and the work queue.
        await _page.ClickAsync("#print-link");
        await Assertions.Expect(_page.Locator("h1")).ToContainTextAsync("Your estimated cost");
        await ScreenshotAsync("print-summary");
        await _page.GotoAsync("/staff/queue");
        var line = _page.Locator("#queue-main tr", new() { HasText = "PPOSAMPLE, AVA" }).First;
        await Assertions.Expect(line).ToContainTextAsync("AETNA");
        await Assertions.Expect(line).ToContainTextAsync("ana.admissions");
        await Assertions.Expect(line.Locator(".outcome")).ToHaveTextAsync("Active");
        await ScreenshotAsync("work-queue");

        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task The_result_page_shows_the_consent_and_records_the_patient_s_revocation()
    {
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("BEN", "DEDMET", "1979-09-30", "60054", "W100000002");
        await _page.SelectOptionAsync("#consentGivenBy", "representative");
        await SubmitVerificationAsync();

        var card = _page.Locator("#consent");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-consent-state", "active");
        await Assertions.Expect(card).ToContainTextAsync("Consent on file");
        await Assertions.Expect(card).ToContainTextAsync("The patient's representative");
        await Assertions.Expect(card).ToContainTextAsync("ana.admissions");

        await _page.ClickAsync("#revoke-consent summary");
        await _page.SelectOptionAsync("#revokeMethod", "written");
        await _page.FillAsync("#revokeReason", "Signed revocation form");
        await ScreenshotAsync("consent-revoke", key: true);
        await _page.ClickAsync("#revoke-submit");

        await Assertions.Expect(card).ToHaveAttributeAsync("data-consent-state", "revoked");
        await Assertions.Expect(card).ToContainTextAsync("Consent revoked");
        await Assertions.Expect(card).ToContainTextAsync("in writing");
        Assert.That(await _page.Locator("#revoke-submit").CountAsync(), Is.Zero, "a revoked consent offers no second revocation");
        await ScreenshotAsync("consent-revoked", key: true);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task What_else_the_payer_said_is_shown_in_words()
    {
        // The sandbox's Kaiser HMO member: no out-of-network benefits (EB01 I), which the page states in words.
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("GUS", "COPAYONLY", "1988-06-21", "94134", "K200000001");
        await SubmitVerificationAsync();

        var notes = _page.Locator("#payer-notes");
        await Assertions.Expect(notes).ToContainTextAsync("Not covered");
        Assert.That(await notes.InnerTextAsync(), Does.Not.Contain("EB").And.Not.Contain("benefitsInformation"), "no X12 or JSON names for staff");
        await ScreenshotAsync("result-payer-notes", fullPage: true);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task A_plan_ending_mid_program_shows_the_ending_banner_not_plain_green_issue_15()
    {
        // The sandbox member whose eligibility ends 21 days after the date of service, inside the 8-week program.
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("GIA", "ENDSMIDPROGRAM", "1987-05-19", "60054", "W100000020");
        await SubmitVerificationAsync();

        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage ends during the program");
        Assert.That(await _page.Locator("#banner").InnerTextAsync(), Does.Contain("self-pay"), "the banner says what the later sessions cost");
        await ScreenshotAsync("result-coverage-ends", key: true, fullPage: true);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task Admissions_verifies_a_child_on_a_parents_plan_from_the_form_issue_16()
    {
        // TESS is on her mother ROSA's family plan without an ID of her own: the card's ID is the subscriber's.
        await SignInAsync("ana.admissions");
        Assert.That(await _page.Locator("#subscriber-fields").IsVisibleAsync(), Is.False, "the subscriber's fields stay out of the way for a subscriber");
        await FillVerifyFormAsync("TESS", "FAMILYHEAD", "2004-09-09", "60054", "W100000010");
        await _page.SelectOptionAsync("#relationship", "child");
        await Assertions.Expect(_page.Locator("#subscriber-fields")).ToBeVisibleAsync();
        await _page.FillAsync("#subscriberFirstName", "ROSA");
        await _page.FillAsync("#subscriberLastName", "FAMILYHEAD");
        await _page.FillAsync("#subscriberDateOfBirth", "1978-02-14");
        await ScreenshotAsync("verify-form-dependent", key: true, fullPage: true);
        await SubmitVerificationAsync();

        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active");
        await Assertions.Expect(_page.Locator("#patient-is")).ToContainTextAsync("Child of the subscriber, ROSA FAMILYHEAD");
        await Assertions.Expect(_page.Locator("#inquiry")).ToContainTextAsync("as a dependent under the subscriber");
        await Assertions.Expect(_page.Locator(".tier", new() { HasText = "In network" })).ToContainTextAsync("$1,500.00 left");
        await Assertions.Expect(_page.Locator("#patient-total")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\$[0-9,]+\.\d\d$"));
        await ScreenshotAsync("result-dependent", key: true, fullPage: true);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task A_dependent_without_the_subscriber_is_sent_back_naming_the_subscriber_fields_issue_16()
    {
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("SAM", "FAMILYHEAD", "1979-06-01", "60054", "W100000010");
        await _page.SelectOptionAsync("#relationship", "spouse");
        await _page.ClickAsync("#verify-submit");

        var errors = _page.Locator("#form-errors");
        await Assertions.Expect(errors).ToContainTextAsync("Subscriber's first name");
        await Assertions.Expect(errors).ToContainTextAsync("Subscriber's date of birth");
        await Assertions.Expect(_page.Locator("#subscriber-fields")).ToBeVisibleAsync();
        Assert.That(await _page.Locator("#subscriberFirstName").GetAttributeAsync("aria-invalid"), Is.EqualTo("true"));
        Assert.That(await _page.InputValueAsync("#relationship"), Is.EqualTo("spouse"), "what was typed is kept");
        Assert.That(await _page.InputValueAsync("#firstName"), Is.EqualTo("SAM"));
    }

    [Test]
    public async Task The_work_queue_shows_each_outcome_in_words_and_colour_and_filters_and_searches_issue_17()
    {
        await SignInAsync("ana.admissions");
        foreach (var (first, last, born, payer, member) in new[]
        {
            ("AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000001"),          // active
            ("FAY", "TERMINATED", "1970-11-02", "60054", "W100000009"),         // not active
            ("GIA", "ENDSMIDPROGRAM", "1987-05-19", "60054", "W100000020"),     // ends mid-program
            ("IDA", "CARVEOUT", "1975-12-24", "62308", "C400000001"),           // carved out
            ("NOBODY", "UNKNOWNMEMBER", "1990-01-01", "60054", "W199999999"),   // not found
            ("MAX", "PAYERDOWN", "1980-04-04", "00710", "R600000042"),          // waiting for the payer
        })
        {
            await _page.GotoAsync("/staff/verify");
            await FillVerifyFormAsync(first, last, born, payer, member);
            await SubmitVerificationAsync();
        }

        await _page.GotoAsync("/staff/queue");
        var main = _page.Locator("#queue-main");
        async Task ExpectOutcome(string name, string kind, string words)
        {
            var row = main.Locator("tr", new() { HasText = name }).First;
            await Assertions.Expect(row).ToHaveAttributeAsync("data-outcome", kind);
            await Assertions.Expect(row.Locator(".outcome")).ToContainTextAsync(words);
        }

        await ExpectOutcome("PPOSAMPLE, AVA", "active", "Active");
        await ExpectOutcome("TERMINATED, FAY", "inactive", "Not active");
        await ExpectOutcome("ENDSMIDPROGRAM, GIA", "ends", "Ends mid-program");
        await ExpectOutcome("CARVEOUT, IDA", "carved-out", "Carved out");
        await ExpectOutcome("UNKNOWNMEMBER, NOBODY", "not-found", "Not found");
        await ExpectOutcome("PAYERDOWN, MAX", "waiting", "next try");
        Assert.That(await main.Locator("tr", new() { HasText = "PPOSAMPLE, AVA" }).First.InnerTextAsync(), Does.Contain("Apr 12, 1985"), "the date of birth, to tell namesakes apart");
        await Assertions.Expect(_page.Locator("p.hint", new() { HasText = "program's time zone" })).ToContainTextAsync("America/Los_Angeles");
        await ScreenshotAsync("work-queue-outcomes", key: true, fullPage: true);

        // Needs action leaves the active patients out; the name search finds one patient.
        await _page.ClickAsync("#view-action");
        await Assertions.Expect(_page.Locator("#queue-main")).ToContainTextAsync("TERMINATED, FAY");
        Assert.That(await _page.Locator("#queue-main tr[data-outcome=active]").CountAsync(), Is.Zero, "needs action shows no active coverage");
        await _page.FillAsync("#q", "terminat");
        await _page.ClickAsync("#queue-search");
        // (Other tests in this fixture may have verified FAY too: every line found is hers, and there is one at least.)
        var found = await _page.Locator("#queue-main tbody tr td:first-child").AllInnerTextsAsync();
        Assert.That(found, Is.Not.Empty.And.All.EqualTo("TERMINATED, FAY"));
        Assert.That(_page.Url, Does.Contain("view=action"), "the search keeps the view");
        await _page.ClickAsync("#view-mine");
        await Assertions.Expect(_page.Locator("#queue-main")).ToContainTextAsync("PAYERDOWN, MAX");

        // Retry now on the verification waiting for the payer: the page says what happened and when the next try is.
        await _page.ClickAsync("#queue-main tr:has-text('PAYERDOWN, MAX') a");
        await Assertions.Expect(_page.Locator("#next-try")).ToContainTextAsync("Next try at");
        await _page.ClickAsync("#retry-now");
        await Assertions.Expect(_page.Locator("#retry-message")).ToHaveTextAsync("Asking the payer again now. This page updates itself when it answers.");
        await ScreenshotAsync("result-retry-now", key: true);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task A_typo_in_the_member_ID_is_fixed_with_edit_and_verify_again_linked_to_the_first_try_issue_17()
    {
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000011");
        await _page.FillAsync("#groupNumber", "AET100");
        await SubmitVerificationAsync();
        var first = _page.Url;
        await Assertions.Expect(_page.Locator("#banner h1")).Not.ToHaveTextAsync("Coverage is active");

        await _page.ClickAsync("#edit-again");
        await Assertions.Expect(_page.Locator("#correcting")).ToBeVisibleAsync();
        var filled = new Dictionary<string, string>();
        foreach (var field in new[] { "firstName", "lastName", "dateOfBirth", "payerId", "memberId", "groupNumber", "weeks" })
        {
            filled[field] = await _page.InputValueAsync("#" + field);
        }

        Assert.That(filled, Is.EqualTo(new Dictionary<string, string>
        {
            ["firstName"] = "AVA", ["lastName"] = "PPOSAMPLE", ["dateOfBirth"] = "1985-04-12", ["payerId"] = "60054",
            ["memberId"] = "W100000011", ["groupNumber"] = "AET100", ["weeks"] = "8",
        }), "the form is filled in with what was sent");
        Assert.That(_page.Url, Does.Not.Contain("PPOSAMPLE").And.Not.Contain("W1000000"), "no personal data in the address");
        await _page.FillAsync("#memberId", "W100000001");
        await _page.CheckAsync("#consent");
        await ScreenshotAsync("verify-form-edit-again", key: true);
        await SubmitVerificationAsync();

        Assert.That(_page.Url, Is.Not.EqualTo(first), "a new verification; the first stays as it was");
        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active");
        await Assertions.Expect(_page.Locator("#corrects a")).ToHaveAttributeAsync("href", new Uri(first).AbsolutePath);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task Admissions_complete_the_benefits_by_phone_and_the_estimate_uses_the_call_issue_17()
    {
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000001");
        await SubmitVerificationAsync();
        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active");
        var before = await _page.InnerTextAsync("#patient-total");

        await _page.ClickAsync("#complete-by-phone summary");
        await _page.FillAsync("#callRepresentative", "Maria");
        await _page.FillAsync("#callReference", "REF-7731");
        await _page.FillAsync("#copayPerDay", "50");
        await _page.FillAsync("#coinsurancePercent", "0");
        await _page.SelectOptionAsync("#deductibleApplies", "no");
        await _page.FillAsync("#priorAuthorizationPhone", "800 555 1234");
        await _page.FillAsync("#completionNotes", "IOP is H0015; auth after 10 days.");
        await _page.ClickAsync("#complete-submit");

        // 40 sessions at a $50 copay, no deductible on IOP and no coinsurance: $2,000.00.
        await Assertions.Expect(_page.Locator("#patient-total")).ToHaveTextAsync("$2,000.00");
        Assert.That(before, Is.Not.EqualTo("$2,000.00"));
        var inNetwork = _page.Locator(".tier", new() { HasText = "In network" });
        await Assertions.Expect(inNetwork.Locator("[data-source-of=copayPerDay]")).ToContainTextAsync("from the call (ref REF-7731)");
        await Assertions.Expect(inNetwork).ToContainTextAsync("call (800) 555-1234");
        await Assertions.Expect(_page.Locator("#inNetwork-deductible-applies")).ToContainTextAsync("no: copay or coinsurance from the first session");
        await Assertions.Expect(_page.Locator("#completions")).ToContainTextAsync("Call with Maria");
        await Assertions.Expect(_page.Locator("#assumptions")).ToContainTextAsync("From the call with Maria");
        await ScreenshotAsync("result-completed-by-phone", key: true, fullPage: true);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");

        // A bad value is sent back (400) next to its name, with what was typed kept.
        await _page.ClickAsync("#complete-by-phone summary");
        await _page.FillAsync("#callRepresentative", "Maria");
        await _page.FillAsync("#callReference", "REF-7732");
        await _page.FillAsync("#coinsurancePercent", "120");
        await _page.ClickAsync("#complete-submit");
        await Assertions.Expect(_page.Locator("#completion-errors")).ToContainTextAsync("Coinsurance: Must be a percentage from 0 to 100");
        Assert.That(await _page.InputValueAsync("#callReference"), Is.EqualTo("REF-7732"));
    }

    [Test]
    public async Task A_carve_out_member_shows_the_benefits_from_the_administrator_with_a_link_to_its_verification_issue_16()
    {
        // UnitedHealthcare's 271 names ACME Behavioral Health (configured in appsettings.json): the worker asks ACME.
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("REED", "CARVEDOUT", "1988-06-14", "87726", "U300000077");
        await SubmitVerificationAsync();

        // Answered within the real-time budget; otherwise the pending page updates itself once ACME has answered.
        await Assertions.Expect(_page.Locator("#carve-title")).ToHaveTextAsync(
            "Benefits from ACME Behavioral Health (administers behavioural health for Choice Plus)", new() { Timeout = 45_000 });
        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active");
        await Assertions.Expect(_page.Locator(".tier", new() { HasText = "In network" })).ToContainTextAsync("$500.00 total");
        await ScreenshotAsync("result-carve-out", key: true, fullPage: true);

        var parentUrl = _page.Url;
        await _page.ClickAsync("#carve-out-link");
        await _page.WaitForURLAsync(url => url != parentUrl);
        Assert.That(await _page.Locator(".facts").InnerTextAsync(), Does.Contain("C400000002").And.Contain("ACMBH"), "the linked verification: ACME, with the member's ID there");
        await Assertions.Expect(_page.Locator("#carve-out-of a")).ToHaveAttributeAsync("href", new Uri(parentUrl).AbsolutePath);
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task A_payer_that_is_down_shows_pending_and_the_page_updates_itself_when_it_answers()
    {
        await _host.SetFaultsAsync(new FaultSettings(Http503: 1.0));
        try
        {
            await SignInAsync("ana.admissions");
            await FillVerifyFormAsync("BEN", "DEDMET", "1979-09-30", "60054", "W100000002");
            await SubmitVerificationAsync();
            await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Checking with the payer…");
            await ScreenshotAsync("result-pending", key: true);
        }
        finally
        {
            await _host.SetFaultsAsync(new FaultSettings(Http503: 0.0));
        }

        // No reload from the test: the page's own script notices the change.
        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is active", new() { Timeout = 45_000 });
        await Assertions.Expect(_page.Locator(".tier", new() { HasText = "In network" })).ToContainTextAsync("$1,000.00 total");
        Assert.That(_consoleProblems, Is.Empty, "console errors or CSP violations");
    }

    [Test]
    public async Task A_self_pay_patient_gets_a_Good_Faith_Estimate_PDF_with_the_required_contents()
    {
        await SignInAsync("ana.admissions");
        await FillVerifyFormAsync("FAY", "TERMINATED", "1970-11-02", "60054", "W100000009");
        await SubmitVerificationAsync();
        await Assertions.Expect(_page.Locator("#banner h1")).ToHaveTextAsync("Coverage is not active");
        await Assertions.Expect(_page.Locator("#gfe-link")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("primary"));

        var resultUrl = _page.Url;
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.ClickAsync("#gfe-link"));
        Assert.That(download.SuggestedFilename, Does.Match("^good-faith-estimate-[0-9a-f]{32}\\.pdf$"));
        var file = Path.Combine(Chromium.ScreenshotFolder(), "good-faith-estimate.pdf");
        await download.SaveAsAsync(file);

        using (var pdf = PdfDocument.Open(file))
        {
            var text = string.Join("\n", pdf.GetPages().Select(page => string.Join(" ", page.GetWords().Select(w => w.Text))));
            Assert.Multiple(() =>
            {
                Assert.That(text, Does.Contain("Good Faith Estimate"));
                Assert.That(text, Does.Contain("FAY TERMINATED"), "patient name");
                Assert.That(text, Does.Contain("Nov 2, 1970"), "date of birth");
                Assert.That(text, Does.Contain("H0015"), "service code");
                Assert.That(text, Does.Contain("0906"), "revenue code");
                Assert.That(text, Does.Contain("NPI: 1999999984"));
                Assert.That(text, Does.Contain("TIN: 00-0000000"));
                Assert.That(text, Does.Contain("Los Angeles"), "location");
                Assert.That(text, Does.Contain("$400"), "dispute threshold");
                Assert.That(text, Does.Contain("120 calendar days"));
                Assert.That(text, Does.Contain("not a contract"));
                Assert.That(text, Does.Contain("Date issued:"));
                Assert.That(text, Does.Contain("session days"), "expected dates and quantity");
            });
        }

        TestContext.AddTestAttachment(file, "Good Faith Estimate");
        RenderFirstPage(file);

        // Kept as issued: the result page lists it, and its link gives the very same document again.
        await _page.GotoAsync(resultUrl);
        await Assertions.Expect(_page.Locator("#issued-estimates li")).ToHaveCountAsync(1);
        await Assertions.Expect(_page.Locator("#issued-estimates li")).ToContainTextAsync("by ana.admissions");
        var again = await _page.RunAndWaitForDownloadAsync(() => _page.ClickAsync("#issued-estimates a"));
        using var copies = new TempFolder("gfe");
        var copy = copies.Combine("copy.pdf");
        await again.SaveAsAsync(copy);
        Assert.That(await File.ReadAllBytesAsync(copy), Is.EqualTo(await File.ReadAllBytesAsync(file)), "the copy given again is the document issued");
    }

    [Test]
    public async Task Roles_without_pages_are_refused_and_finance_may_only_read()
    {
        await SignInAsync("web.site");
        var denied = await _page.GotoAsync("/staff/queue");
        Assert.That(denied!.Status, Is.EqualTo(403));
        await Assertions.Expect(_page.Locator("h1")).ToHaveTextAsync("Not allowed");
        await ScreenshotAsync("access-denied");

        await _context.ClearCookiesAsync();
        await SignInAsync("fin.finance");
        await Assertions.Expect(_page.Locator("h1")).ToHaveTextAsync("Not allowed", new() { Timeout = 10_000 });
        var verify = await _page.GotoAsync("/staff/verify");
        Assert.That(verify!.Status, Is.EqualTo(403), "finance may not run verifications");
        var queue = await _page.GotoAsync("/staff/queue");
        Assert.That(queue!.Status, Is.EqualTo(403), "the work queue names patients: admissions only");
    }

    [Test]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        await _page.GotoAsync("/staff/sign-in");
        await _page.FillAsync("#username", "ana.admissions");
        await _page.FillAsync("#password", "not the password at all");
        await _page.ClickAsync("button[type=submit]");
        await Assertions.Expect(_page.Locator("#sign-in-error")).ToContainTextAsync("user name or password is not right");
        var queue = await _page.GotoAsync("/staff/queue");
        Assert.That(_page.Url, Does.Contain("/staff/sign-in?returnUrl="), "still signed out");
        Assert.That(queue!.Ok, Is.True);
    }

    private async Task SignInAsync(string user)
    {
        await _page.GotoAsync("/staff/verify");
        Assert.That(_page.Url, Does.Contain("/staff/sign-in?returnUrl="), "pages redirect to sign-in");
        await _page.FillAsync("#username", user);
        await _page.FillAsync("#password", PagesHost.Password);
        await _page.ClickAsync("button[type=submit]");
        await _page.WaitForURLAsync(url => !url.Contains("/staff/sign-in", StringComparison.Ordinal));
    }

    private async Task SubmitVerificationAsync()
    {
        await _page.ClickAsync("#verify-submit");
        await _page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/staff/verifications/[0-9a-f-]{36}$"));
    }

    private async Task FillVerifyFormAsync(string first, string last, string dateOfBirth, string payerId, string memberId)
    {
        await _page.FillAsync("#firstName", first);
        await _page.FillAsync("#lastName", last);
        await _page.FillAsync("#dateOfBirth", dateOfBirth);
        await _page.FillAsync("#payerId", payerId);
        await _page.FillAsync("#memberId", memberId);
        await _page.SelectOptionAsync("#daysPerWeek", "5");
        await _page.SelectOptionAsync("#weeks", "8");
        await _page.CheckAsync("#consent");
    }

    private Task ScreenshotAsync(string name, bool key = false, bool fullPage = false) =>
        Chromium.ScreenshotAsync(_page, name, toDocs: key, fullPage: fullPage);

    private static void RenderFirstPage(string pdf)
    {
        const string pdftoppm = "/usr/bin/pdftoppm";
        if (!File.Exists(pdftoppm))
        {
            TestContext.Out.WriteLine("pdftoppm (poppler-utils) is not installed: the PDF's first page was not rendered to PNG.");
            return;
        }

        var prefix = Path.Combine(Chromium.ScreenshotFolder(), "good-faith-estimate");
        using var process = Process.Start(new ProcessStartInfo(pdftoppm, ["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdf, prefix]))!;
        process.WaitForExit(30_000);
        Assert.That(process.ExitCode, Is.Zero, "pdftoppm renders the PDF");
        TestContext.AddTestAttachment(prefix + ".png", "Good Faith Estimate, page 1");
        Chromium.CopyToDocs(prefix + ".png");
    }
}
