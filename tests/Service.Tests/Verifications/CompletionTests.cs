using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using Microsoft.Data.Sqlite;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// Issue #17, completing a verification by phone (http-api.md "Completing a verification"), end to end through the
/// sandbox: the values a representative gives replace the payer's, keep their source, and the estimate is made again.
/// </summary>
internal sealed class CompletionTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    // The IOP copay the 271 did not give, and that the deductible does not apply to IOP: the rep's answer.
    private static object Call(decimal copay, string reference, string representative = "Maria") => new
    {
        call = new { at = "2026-11-28T14:05:00Z", representative, reference },
        source = "phone",
        inNetwork = new { copayPerDay = copay, coinsurancePercent = 0m, deductibleAppliesToService = false, priorAuthorizationPhone = "8005551234" },
        notes = "IOP H0015 covered; auth needed after 10 days.",
    };

    private async Task<JsonObject> VerifiedPpoAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var body = await VerificationsHost.ReadAsync(response);
        Assert.That((string?)body["status"], Is.EqualTo("completed"));
        return body;
    }

    [Test]
    public async Task Values_from_the_call_replace_the_payers_keep_their_source_and_the_estimate_is_made_again()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var before = await VerifiedPpoAsync(client);
        Assert.That((decimal?)before["coverage"]!["inNetwork"]!["copayPerDay"], Is.Null.Or.EqualTo(0m), "the 271 gives no IOP copay");

        using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{before["id"]}/completion", Call(50m, "REF-20261128-1"));
        var after = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), after.ToJsonString());
        var sources = after["coverage"]!["sources"]!;
        Assert.Multiple(() =>
        {
            Assert.That((decimal?)after["coverage"]!["inNetwork"]!["copayPerDay"], Is.EqualTo(50m));
            Assert.That((string?)sources["inNetwork.copayPerDay"]!["source"], Is.EqualTo("phone"));
            Assert.That((string?)sources["inNetwork.copayPerDay"]!["reference"], Is.EqualTo("REF-20261128-1"));
            Assert.That((string?)sources["inNetwork.copayPerDay"]!["by"], Is.Not.Empty);
            Assert.That((string?)sources["inNetwork.deductibleAppliesToService"]!["source"], Is.EqualTo("phone"));
            Assert.That((string?)sources["inNetwork.deductible.individual.remaining"]!["source"], Is.EqualTo("payer-answer"));
            Assert.That((decimal?)after["coverage"]!["inNetwork"]!["deductible"]!["individual"]!["remaining"], Is.EqualTo(1300m), "what the call did not give stays the payer's");

            // 40 sessions (8 weeks × 5 days from 7 December) at a $50 copay, no deductible and no coinsurance on IOP:
            // 40 × $50 = $2,000.00, far under the out-of-pocket maximum. Before the call: deductible then 20 %.
            Assert.That((decimal?)after["estimate"]!["totals"]!["patient"], Is.EqualTo(2000.00m));
            Assert.That((decimal?)after["estimate"]!["breakdown"]!["copay"], Is.EqualTo(2000.00m));
            Assert.That((decimal?)after["estimate"]!["breakdown"]!["deductible"], Is.EqualTo(0m));
            Assert.That((decimal?)before["estimate"]!["totals"]!["patient"], Is.Not.EqualTo(2000.00m));
            Assert.That(after["assumptions"]!.AsArray().Select(a => (string?)a), Has.Some.StartsWith("From the call with Maria on 2026-11-28, reference REF-20261128-1"));
            Assert.That(after["completions"]!.AsArray(), Has.Count.EqualTo(1));
            Assert.That((string?)after["completions"]![0]!["notes"], Does.Contain("auth needed"));
        });

        // A correction is a new completion: the first stays as entered, the later one supersedes its copay.
        using var correction = await client.PostAsJsonAsync($"/api/v1/verifications/{before["id"]}/completion", Call(40m, "REF-20261128-2", "Dana"));
        var corrected = await VerificationsHost.ReadAsync(correction);
        using var read = await client.GetAsync($"/api/v1/verifications/{before["id"]}");
        var stored = await VerificationsHost.ReadAsync(read);
        Assert.Multiple(() =>
        {
            Assert.That((decimal?)corrected["estimate"]!["totals"]!["patient"], Is.EqualTo(1600.00m), "40 × $40");
            Assert.That(stored["completions"]!.AsArray().Select(c => (decimal?)c!["inNetwork"]!["copayPerDay"]), Is.EqualTo(new decimal?[] { 50m, 40m }));
            Assert.That((string?)stored["coverage"]!["sources"]!["inNetwork.copayPerDay"]!["reference"], Is.EqualTo("REF-20261128-2"));
            Assert.That(stored["assumptions"]!.AsArray().Count(a => ((string?)a)!.StartsWith("From the call", StringComparison.Ordinal)), Is.EqualTo(2), "one line per call, not repeated");
        });
    }

    [Test]
    public async Task A_bad_completion_names_each_field_and_never_echoes_a_value()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var verified = await VerifiedPpoAsync(client);

        using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{verified["id"]}/completion", new
        {
            call = new { at = "2026-11-28T14:05:00Z", representative = "", reference = "SECRET-REF-991" },
            source = "fax",
            inNetwork = new { coinsurancePercent = 120m, deductible = new { individual = new { total = 1000m, remaining = 1200m } } },
        });
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.SupersetOf(new[]
        {
            "source", "inNetwork.coinsurancePercent", "inNetwork.deductible.individual.remaining",
        }));
        Assert.That(problem.ToJsonString(), Does.Not.Contain("SECRET-REF-991").And.Not.Contain("fax"));
    }

    [Test]
    public async Task A_phone_completion_needs_the_representative_and_the_reference()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var verified = await VerifiedPpoAsync(client);

        using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{verified["id"]}/completion",
            new { call = new { at = "2026-11-28T14:05:00Z" }, source = "phone", inNetwork = new { copayPerDay = 25m } });
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "call.representative", "call.reference" }));
    }

    [Test]
    public async Task Only_admissions_complete_and_an_answer_without_coverage_has_nothing_to_complete()
    {
        using var admissions = _host.Client(TestApiKeys.Admissions);
        using var finance = _host.Client(TestApiKeys.Finance);
        var verified = await VerifiedPpoAsync(admissions);
        using var notFoundResponse = await admissions.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("NO", "SUCHPERSON", "1980-01-01", SandboxCatalogue.Aetna, "W999999999"));
        var notFound = await VerificationsHost.ReadAsync(notFoundResponse);

        using var byFinance = await finance.PostAsJsonAsync($"/api/v1/verifications/{verified["id"]}/completion", Call(50m, "R1"));
        using var onNotFound = await admissions.PostAsJsonAsync($"/api/v1/verifications/{notFound["id"]}/completion", Call(50m, "R2"));
        using var onUnknown = await admissions.PostAsJsonAsync($"/api/v1/verifications/{Guid.NewGuid()}/completion", Call(50m, "R3"));

        Assert.Multiple(() =>
        {
            Assert.That(byFinance.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(onNotFound.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(onUnknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task A_completion_is_stored_encrypted_and_the_database_refuses_to_change_it()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var verified = await VerifiedPpoAsync(client);
        using var response = await client.PostAsJsonAsync($"/api/v1/verifications/{verified["id"]}/completion", Call(55m, "UNIQUE-REF-7731", "Representative Quintessa"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_host.DataDirectory, "coveragecheck.db")}");
        await connection.OpenAsync();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT completion_cipher FROM verification_completions WHERE verification_id = $id";
        read.Parameters.AddWithValue("$id", ((string)verified["id"]!).ToUpperInvariant());
        var cipher = (byte[]?)await read.ExecuteScalarAsync();
        if (cipher is null)
        {
            read.Parameters["$id"].Value = (string)verified["id"]!;
            cipher = (byte[]?)await read.ExecuteScalarAsync();
        }

        Assert.That(cipher, Is.Not.Null);
        var text = System.Text.Encoding.UTF8.GetString(cipher!);
        Assert.That(text, Does.Not.Contain("Quintessa").And.Not.Contain("UNIQUE-REF-7731"));

        await using var change = connection.CreateCommand();
        change.CommandText = "UPDATE verification_completions SET created_by = 'someone else'";
        Assert.That(async () => await change.ExecuteNonQueryAsync(), Throws.InstanceOf<SqliteException>().With.Message.Contains("kept as entered"));
        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM verification_completions";
        Assert.That(async () => await delete.ExecuteNonQueryAsync(), Throws.InstanceOf<SqliteException>().With.Message.Contains("completions are kept"));
    }
}
