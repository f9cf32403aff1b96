using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Tests.Verifications;
using CsvHelper;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.CarveOuts;

/// <summary>
/// Issue #16, carve-outs followed, end to end: the real service, its worker and the built-in sandbox clearinghouse over
/// loopback HTTP, with the administrator configured in appsettings.json (ACME Behavioral Health, payer ACMBH,
/// <c>MemberIdFrom</c> entity). UnitedHealthcare member U300000077's 271 names ACME with the member's ID there
/// (C400000002); ACME answers with its own IOP benefits.
/// </summary>
internal sealed class CarveOutTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    internal static object CarvedOutMember => VerificationsApiTests.Request("REED", "CARVEDOUT", "1988-06-14", SandboxCatalogue.UnitedHealthcare, "U300000077");

    /// <summary>Posts a verification and waits until it (the parent) has finished; returns the POST status, the parent and its linked verification.</summary>
    internal static async Task<(HttpStatusCode Posted, JsonObject Parent, JsonObject? Child)> VerifyAsync(VerificationsHost host, object request, params string[] until)
    {
        using var client = host.Client(TestApiKeys.Admissions);
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", request);
        var location = response.Headers.Location!.ToString();
        var parent = await VerificationsHost.WaitForAsync(client, location, Patience, until.Length == 0 ? ["completed", "needs-review", "failed"] : until);
        JsonObject? child = null;
        if ((string?)parent["coverage"]?["carveOut"]?["verificationId"] is { } childId)
        {
            using var get = await client.GetAsync($"/api/v1/verifications/{childId}");
            child = await VerificationsHost.ReadAsync(get);
        }

        return (response.StatusCode, parent, child);
    }

    [Test]
    public async Task A_carve_out_to_a_configured_administrator_runs_a_linked_verification_and_estimates_from_its_benefits()
    {
        var (posted, parent, child) = await VerifyAsync(_host, CarvedOutMember);

        var coverage = parent["coverage"]!;
        var carveOut = coverage["carveOut"]!;
        Assert.Multiple(() =>
        {
            Assert.That(posted, Is.EqualTo(HttpStatusCode.Created), "the worker asks the administrator within the real-time budget");
            Assert.That((string?)parent["status"], Is.EqualTo("completed"));
            Assert.That((string?)carveOut["name"], Is.EqualTo("ACME BEHAVIORAL HEALTH"), "the name as the payer wrote it");
            Assert.That((string?)carveOut["phone"], Does.Contain("8005550177"));
            Assert.That((string?)carveOut["payerId"], Is.EqualTo("ACMBH"));
            Assert.That((string?)carveOut["status"], Is.EqualTo("completed"));
            Assert.That((string?)coverage["benefitsFrom"]!["payerId"], Is.EqualTo("ACMBH"));
            Assert.That((string?)coverage["benefitsFrom"]!["name"], Is.EqualTo("ACME Behavioral Health"), "the configured name");
            Assert.That((string?)coverage["planName"], Is.EqualTo("Choice Plus"), "still the medical plan");

            // ACME's figures, not UnitedHealthcare's ($2,000 deductible, no tiers for behavioural health).
            Assert.That((decimal?)coverage["inNetwork"]!["copayPerDay"], Is.EqualTo(20m));
            Assert.That((decimal?)coverage["inNetwork"]!["deductible"]!["individual"]!["remaining"], Is.EqualTo(350m));
            Assert.That((string?)parent["network"], Is.EqualTo("in"), "our network status with ACMBH (UnitedHealthcare is out)");
            Assert.That(parent["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("benefits-from-carve-out"));
            Assert.That(parent["estimate"]!["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("benefits-from-carve-out"));
            Assert.That(parent["estimate"]!["warnings"]!.AsArray().Select(w => (string?)w), Does.Not.Contain("out-of-network-balance-billing"));
            Assert.That((decimal?)parent["estimate"]!["totals"]!["patient"], Is.GreaterThan(0m));
            Assert.That(parent["assumptions"]!.AsArray().Select(a => (string?)a), Has.Some.StartsWith("Benefits from ACME Behavioral Health (administers behavioural health for Choice Plus)"));
        });

        Assert.That(child, Is.Not.Null);
        Assert.Multiple(() =>
        {
            Assert.That((string?)child!["id"], Is.EqualTo((string?)carveOut["verificationId"]));
            Assert.That((string?)child["status"], Is.EqualTo("completed"));
            Assert.That((string?)child["payer"]!["id"], Is.EqualTo("ACMBH"));
            Assert.That((string?)child["insurance"]!["memberId"], Is.EqualTo("C400000002"), "MemberIdFrom entity: the ID the 271 gives for ACME");
            Assert.That((string?)child["patient"]!["lastName"], Is.EqualTo("CARVEDOUT"), "the same patient");
            Assert.That((string?)child["consent"]!["id"], Is.EqualTo((string?)parent["consent"]!["id"]), "under the same consent");
            Assert.That(child["coverage"]!["carveOut"], Is.Null, "the administrator's own answer names no further carve-out");
            Assert.That((string?)child["carveOutOf"], Is.EqualTo((string?)parent["id"]));
            Assert.That(parent["carveOutOf"], Is.Null);
            Assert.That(child["batchId"], Is.Null);
        });
    }

    [Test]
    public async Task An_administrator_that_gives_no_accumulators_is_estimated_with_none_met_and_says_so()
    {
        var (_, parent, child) = await VerifyAsync(_host, VerificationsApiTests.Request("SKYE", "CARVEDOUTNOACC", "1993-03-03", SandboxCatalogue.UnitedHealthcare, "U300000078"));

        var assumptions = parent["assumptions"]!.AsArray().Select(a => (string?)a).ToList();
        Assert.Multiple(() =>
        {
            Assert.That((string?)parent["status"], Is.EqualTo("completed"));
            Assert.That((string?)child!["insurance"]!["memberId"], Is.EqualTo("C400000003"));
            Assert.That((decimal?)parent["coverage"]!["inNetwork"]!["coinsurancePercent"], Is.EqualTo(10m));
            Assert.That(assumptions, Has.Some.EqualTo("ACME Behavioral Health gave no accumulators (deductible or out-of-pocket met so far): the estimate assumes none met."));
            Assert.That(parent["estimate"], Is.Not.Null);
            Assert.That(parent["estimate"]!["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("benefits-from-carve-out"));
        });
    }

    [Test]
    public async Task An_administrator_that_is_not_configured_keeps_todays_answer_name_phone_and_ask_them()
    {
        var (posted, parent, child) = await VerifyAsync(_host, VerificationsApiTests.Request("IDA", "CARVEOUT", "1975-12-24", SandboxCatalogue.Cigna, "C400000001"));

        var carveOut = parent["coverage"]!["carveOut"]!;
        Assert.Multiple(() =>
        {
            Assert.That(posted, Is.EqualTo(HttpStatusCode.Created));
            Assert.That((string?)parent["status"], Is.EqualTo("completed"));
            Assert.That((string?)carveOut["name"], Is.EqualTo("EXAMPLE BEHAVIORAL HEALTH ADMINISTRATOR"));
            Assert.That((string?)carveOut["phone"], Does.Contain("8005551234"));
            Assert.That(carveOut["payerId"], Is.Null);
            Assert.That(carveOut["verificationId"], Is.Null);
            Assert.That(child, Is.Null);
            Assert.That(parent["coverage"]!["benefitsFrom"], Is.Null);
            Assert.That(parent["estimate"], Is.Null);
            Assert.That(parent["assumptions"]!.AsArray().Select(a => (string?)a), Has.Some.Contains("ask them for the behavioural-health benefits"));
            Assert.That(parent["warnings"]!.AsArray().Select(w => (string?)w), Does.Not.Contain("benefits-from-carve-out"));
        });
    }

    /// <summary>A host whose real-time requests wait one second, well before a linked verification is given up (10 s).</summary>
    internal static VerificationsHost ShortBudgetHost() => new(new Dictionary<string, string?> { ["Verification:RealTimeBudget"] = "00:00:01" });

    [Test]
    public async Task An_administrator_that_is_down_keeps_the_parent_waiting_until_it_answers()
    {
        using var host = ShortBudgetHost();
        var sandbox = await host.Factory.Services.GetRequiredService<SandboxClearinghouse>().GetStateAsync(CancellationToken.None);
        sandbox.Update(SandboxCatalogue.AcmeBehavioralHealth, "C400000002", m => m with { Behaviour = SandboxBehaviour.PayerUnavailable });
        using var client = host.Client(TestApiKeys.Admissions);
        string location;
        try
        {
            using var response = await client.PostAsJsonAsync("/api/v1/verifications", CarvedOutMember);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "the administrator did not answer within the real-time budget");
            location = response.Headers.Location!.ToString();

            // The child has been answered AAA 42 at least once: the parent is still waiting for it.
            JsonObject parent, child;
            var waited = System.Diagnostics.Stopwatch.StartNew();
            do
            {
                await Task.Delay(50);
                using var get = await client.GetAsync(location);
                parent = await VerificationsHost.ReadAsync(get);
                var childId = (string?)parent["coverage"]?["carveOut"]?["verificationId"];
                child = childId is null ? new JsonObject() : await VerificationsHost.ReadAsync(await client.GetAsync($"/api/v1/verifications/{childId}"));
            }
            while (!((string?)child["lastErrorCode"] ?? "").Contains("42", StringComparison.Ordinal) && waited.Elapsed < Patience);

            Assert.Multiple(() =>
            {
                Assert.That((string?)child["status"], Is.AnyOf("queued", "in-progress"), "retried like any payer that is down");
                Assert.That((string?)child["lastErrorCode"], Does.Contain("42"));
                Assert.That((string?)parent["status"], Is.AnyOf("queued", "in-progress"));
                Assert.That((string?)parent["lastErrorCode"], Is.EqualTo("carve-out-pending"));
                Assert.That((string?)parent["coverage"]!["carveOut"]!["status"], Is.AnyOf("queued", "in-progress"), "the child's status, read now");
                Assert.That(parent["estimate"], Is.Null, "no estimate from the medical plan's numbers while ACME is asked");
            });
        }
        finally
        {
            sandbox.Update(SandboxCatalogue.AcmeBehavioralHealth, "C400000002", m => m with { Behaviour = SandboxBehaviour.Normal });
        }

        var latest = await VerificationsHost.WaitForAsync(client, location, Patience, "completed", "needs-review");
        Assert.Multiple(() =>
        {
            Assert.That((string?)latest["status"], Is.EqualTo("completed"), "completed once ACME answered");
            Assert.That((string?)latest["coverage"]!["benefitsFrom"]!["payerId"], Is.EqualTo("ACMBH"));
            Assert.That((string?)latest["coverage"]!["carveOut"]!["status"], Is.EqualTo("completed"));
            Assert.That((string?)latest["lastErrorCode"], Is.Null);
        });
    }

    [Test]
    public async Task The_finance_report_shows_the_administrator_and_census_rows_with_carve_outs_run_the_linked_verification()
    {
        const string census = """
            patient_ref,first_name,last_name,date_of_birth,payer_id,member_id,group_number,program_start,days_per_week,weeks,charge_per_day,consent_method,consent_date
            CO-1,REED,CARVEDOUT,1988-06-14,87726,U300000077,UHC7701,2026-12-07,5,8,450.00,verbal,2026-11-20
            CO-2,IDA,CARVEOUT,1975-12-24,62308,C400000001,CIG5500,2026-12-07,5,8,450.00,verbal,2026-11-20
            CO-3,AVA,PPOSAMPLE,1985-04-12,60054,W100000001,AET100,2026-12-07,5,8,450.00,verbal,2026-11-20

            """;
        using var client = _host.Client(TestApiKeys.Finance);
        using var post = await client.PostAsync("/api/v1/batches", new StringContent(census.Replace("\r\n", "\n", StringComparison.Ordinal), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var location = post.Headers.Location!.ToString();

        var waited = System.Diagnostics.Stopwatch.StartNew();
        JsonObject state;
        do
        {
            await Task.Delay(100);
            state = await VerificationsHost.ReadAsync(await client.GetAsync(location));
        }
        while ((string?)state["status"] != "completed" && waited.Elapsed < Patience);
        Assert.That((string?)state["status"], Is.EqualTo("completed"), state.ToJsonString());

        using var report = await client.GetAsync(location + "/report.csv");
        using var csv = new CsvReader(new StreamReader(await report.Content.ReadAsStreamAsync()), CultureInfo.InvariantCulture);
        var rows = new List<Dictionary<string, string>>();
        await csv.ReadAsync();
        csv.ReadHeader();
        while (await csv.ReadAsync())
        {
            rows.Add(csv.HeaderRecord!.ToDictionary(h => h, h => csv.GetField(h)!));
        }

        Assert.Multiple(() =>
        {
            Assert.That(rows.Select(r => r["administrator"]), Is.EqualTo(new[]
            {
                "ACME Behavioral Health (ACMBH)",
                "EXAMPLE BEHAVIORAL HEALTH ADMINISTRATOR (not verified)",
                "",
            }));
            Assert.That(rows[0]["status"], Is.EqualTo("completed"));
            Assert.That(rows[0]["copay_per_day"], Is.EqualTo("20.00"), "the administrator's in-network figures");
            Assert.That(rows[0]["estimated_patient_total"], Is.Not.Empty);
            Assert.That(rows[1]["estimated_patient_total"], Is.Empty, "no estimate from the medical plan's numbers");
            Assert.That(rows, Has.Count.EqualTo(3), "the linked verification is not a row of the batch");
        });
    }
}
