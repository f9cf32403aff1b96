using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>
/// #14: a payer that echoes the member's name and date of birth in its AAA text. That text is PHI: it may live in
/// the encrypted result only, never in the plain <c>last_error</c> column or in a batch report's error_description.
/// </summary>
internal sealed class PayerTextTests
{
    private const string First = "ZELDA";
    private const string Last = "QUILLFEATHER";
    private const string DateOfBirth = "1980-01-01";
    private const string CompactDateOfBirth = "19800101";

    [Test]
    public async Task A_payer_echoing_name_and_date_of_birth_leaves_neither_in_the_database_files_nor_in_the_reports()
    {
        await using var payer = await EchoingClearinghouse.StartAsync();
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Clearinghouse:BaseUrl"] = payer.BaseAddress.ToString() });

        using var admissions = host.Client(TestApiKeys.Admissions);
        using var created = await admissions.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request(First, Last, DateOfBirth, "60054", "W555000111"));
        Assert.That((int)created.StatusCode, Is.AnyOf(201, 202));
        var verification = await VerificationsHost.WaitForAsync(admissions, created.Headers.Location!.ToString(), TimeSpan.FromSeconds(30), "needs-review");
        Assert.Multiple(() =>
        {
            Assert.That((string?)verification["lastErrorCode"], Is.EqualTo("75"));
            Assert.That((string?)verification["lastError"], Is.EqualTo("AAA 75: Subscriber/Insured Not Found"), "our own wording");
            // The caller with the right to read the verification still sees what the payer said.
            Assert.That((string?)verification["errors"]![0]!["description"], Is.EqualTo(EchoingClearinghouse.EchoOf(First, Last, CompactDateOfBirth)));
        });

        using var finance = host.Client(TestApiKeys.Finance);
        using var census = new StringContent(
            CoverageCheck.Service.Tests.Batches.Census.Header + "\n" +
            $"P-ECHO-1,{First},{Last},{DateOfBirth},60054,W555000112,,2026-12-07,5,8,450.00{CoverageCheck.Service.Tests.Batches.Census.ConsentFields}\n",
            Encoding.UTF8,
            "text/csv");
        using var upload = await finance.PostAsync("/api/v1/batches", census);
        Assert.That(upload.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await upload.Content.ReadAsStringAsync());
        var batch = upload.Headers.Location!.ToString();
        await WaitForBatchAsync(finance, batch, TimeSpan.FromSeconds(60));

        var reports = new Dictionary<string, string>();
        foreach (var format in new[] { "csv", "html", "xlsx" })
        {
            using var response = await finance.GetAsync($"{batch}/report.{format}");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), format);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            reports[format] = format == "xlsx" ? WorkbookText(bytes) : Encoding.UTF8.GetString(bytes);
        }

        Assert.That(reports["csv"], Does.Contain("Subscriber/Insured Not Found"), "the report still says why, in our words");
        foreach (var (format, text) in reports)
        {
            Assert.That(text, Does.Not.Contain(Last), $"report.{format}");
            Assert.That(text, Does.Not.Contain(CompactDateOfBirth), $"report.{format}");
        }

        var dataDirectory = host.DataDirectory;
        await host.Factory.DisposeAsync();
        var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.That(files.Any(f => f.EndsWith(".db", StringComparison.Ordinal)), Is.True);
        foreach (var path in files)
        {
            var bytes = File.ReadAllBytes(path);
            foreach (var secret in new[] { Last, CompactDateOfBirth, $"{First} {Last}" })
            {
                Assert.That(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)), Is.EqualTo(-1), $"{Path.GetFileName(path)} holds '{secret}' (UTF-8)");
                Assert.That(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(secret)), Is.EqualTo(-1), $"{Path.GetFileName(path)} holds '{secret}' (UTF-16)");
            }
        }
    }

    internal static async Task WaitForBatchAsync(HttpClient client, string location, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (true)
        {
            using var response = await client.GetAsync(location);
            var state = await VerificationsHost.ReadAsync(response);
            if ((string?)state["status"] == "completed")
            {
                return;
            }

            if (Environment.TickCount64 > deadline)
            {
                Assert.Fail($"Batch {location} is still {state["status"]} after {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Every part of the workbook (shared strings, sheets) as one text.</summary>
    internal static string WorkbookText(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx), ZipArchiveMode.Read);
        var text = new StringBuilder();
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }
}
