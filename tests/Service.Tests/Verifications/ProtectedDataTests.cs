using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Sandbox;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// HIPAA and 42 CFR Part 2: after a run of verifications — completed, rejected, queued and retried — neither the log
/// output nor any file the service wrote holds a test member ID, name or date of birth.
/// </summary>
internal sealed class ProtectedDataTests
{
    private static readonly (string First, string Last, string Dob, string Payer, string Member)[] People =
    [
        ("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001"),
        ("DEV", "FAMILYPLAN", "1982-03-03", SandboxCatalogue.Aetna, "W100000004"),
        ("GUS", "COPAYONLY", "1988-06-21", SandboxCatalogue.Kaiser, "K200000001"),
        ("FAY", "TERMINATED", "1970-11-02", SandboxCatalogue.Aetna, "W100000009"),
        ("MAX", "PAYERDOWN", "1980-04-04", SandboxCatalogue.Regional, "R600000042"),
        ("QUENTAVIUS", "NOTENROLLED", "1977-07-27", SandboxCatalogue.Aetna, "W987654321"),
    ];

    [Test]
    public async Task No_member_id_name_or_date_of_birth_reaches_the_logs_or_the_database_files()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        var ids = new List<string>();
        foreach (var p in People)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/verifications",
                VerificationsApiTests.Request(p.First, p.Last, p.Dob, p.Payer, p.Member));
            Assert.That((int)response.StatusCode, Is.AnyOf(201, 202), p.Member);
            ids.Add(response.Headers.Location!.ToString());
        }

        foreach (var location in ids)
        {
            using var read = await client.GetAsync(location);
            Assert.That(read.IsSuccessStatusCode, Is.True);
        }

        // Stop the host so every write (SQLite WAL included) is on disk before the files are read.
        var dataDirectory = host.DataDirectory;
        var logs = string.Join('\n', host.Logs.Lines);
        await host.Factory.DisposeAsync();
        var files = Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories)
            .Select(path => (path, bytes: File.ReadAllBytes(path)))
            .ToList();

        Assert.That(logs, Does.Contain("60054"), "the capture works: payer IDs are logged");
        Assert.That(files.Any(f => f.path.EndsWith(".db", StringComparison.Ordinal) && f.bytes.Length > 0), Is.True, "the database file exists");
        foreach (var p in People)
        {
            var dobCompact = p.Dob.Replace("-", "", StringComparison.Ordinal);
            // First names of three letters would match random ciphertext by chance, so files are checked for the
            // long identifiers; the logs (text) are checked for every one.
            string[] inFiles = [p.Member, p.Last, p.Dob, dobCompact, .. p.First.Length >= 6 ? [p.First] : Array.Empty<string>()];
            foreach (var secret in inFiles.Concat([p.First]).Distinct())
            {
                Assert.That(logs, Does.Not.Match($@"\b{secret}\b"), $"log output holds '{secret}'");
            }

            foreach (var (path, bytes) in files)
            {
                foreach (var secret in inFiles)
                {
                    Assert.That(Contains(bytes, Encoding.UTF8.GetBytes(secret)), Is.False, $"{Path.GetFileName(path)} holds '{secret}' (UTF-8)");
                    Assert.That(Contains(bytes, Encoding.Unicode.GetBytes(secret)), Is.False, $"{Path.GetFileName(path)} holds '{secret}' (UTF-16)");
                }
            }
        }
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
