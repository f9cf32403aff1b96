using Microsoft.Playwright;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// What every browser fixture shares: Debian's Chromium launched through Playwright (never 'playwright install'), a
/// page's console problems collected, and screenshots attached to the results and copied to docs/screenshots only
/// when asked (<c>COVERAGECHECK_UPDATE_SCREENSHOTS=1</c>), so a test run leaves the working tree as it was.
/// </summary>
internal static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(Path))
        {
            Assert.Fail($"The browser tests need Chromium at {Path}: install Debian's chromium (apt-get install chromium). Never run 'playwright install'.");
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        return (playwright, browser);
    }

    /// <summary>Collects the page's console errors and warnings (CSP violations among them) into <paramref name="problems"/>.</summary>
    public static void CollectConsoleProblems(IPage page, List<string> problems) =>
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                problems.Add(message.Text);
            }
        };

    /// <summary>The folder of this run's screenshots (attached to the results).</summary>
    public static string ScreenshotFolder()
    {
        var folder = System.IO.Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A screenshot of the page (or of <paramref name="element"/>), attached; with <paramref name="toDocs"/> copied to docs/screenshots when asked.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, bool toDocs = true, bool fullPage = false, ILocator? element = null)
    {
        var path = System.IO.Path.Combine(ScreenshotFolder(), name + ".png");
        if (element is null)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
        }
        else
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path });
        }

        TestContext.AddTestAttachment(path, name);
        if (toDocs)
        {
            CopyToDocs(path);
        }

        return path;
    }

    /// <summary>Refreshes docs/screenshots only when asked: otherwise every test run would leave the working tree changed.</summary>
    public static void CopyToDocs(string path)
    {
        if (Environment.GetEnvironmentVariable("COVERAGECHECK_UPDATE_SCREENSHOTS") != "1")
        {
            return;
        }

        var docs = System.IO.Path.Combine(PagesHost.RepositoryRoot(), "docs", "screenshots");
        Directory.CreateDirectory(docs);
        File.Copy(path, System.IO.Path.Combine(docs, System.IO.Path.GetFileName(path)), overwrite: true);
    }
}
