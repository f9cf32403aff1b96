using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Contracts;

/// <summary>Issue #17: <c>GET/PUT/DELETE /api/v1/contracts</c> — finance and admin only, validated by field, audited.</summary>
internal sealed class ContractsApiTests
{
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ServiceApplication();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    internal static object AnthemPpo(string? planName = "PPO") => new
    {
        payerId = "040",
        match = new { planNameContains = planName, groupNumbers = new[] { " G-100 ", "G-200" }, insuranceTypes = new[] { "pr" } },
        network = "in",
        allowedPerDay = 410.00m,
        outOfNetworkAllowed = (object?)null,
        effectiveFrom = "2026-01-01",
        effectiveTo = "2026-12-31",
    };

    [TestCase(null, HttpStatusCode.Unauthorized)]
    [TestCase(TestApiKeys.Website, HttpStatusCode.Forbidden)]
    [TestCase(TestApiKeys.Admissions, HttpStatusCode.Forbidden)]
    public async Task Only_finance_and_admin_may_read_or_change_contracts(string? key, HttpStatusCode expected)
    {
        using var client = key is null ? _app.CreateClient() : _app.CreateClient(key);

        using var list = await client.GetAsync("/api/v1/contracts");
        using var put = await client.PutAsJsonAsync("/api/v1/contracts/denied", AnthemPpo());
        using var delete = await client.DeleteAsync("/api/v1/contracts/denied");

        Assert.That(new[] { list.StatusCode, put.StatusCode, delete.StatusCode }, Is.All.EqualTo(expected));
    }

    [Test]
    public async Task A_contract_is_created_read_replaced_listed_and_deleted_and_each_write_is_audited()
    {
        using var finance = _app.CreateClient(TestApiKeys.Finance);
        using var admin = _app.CreateClient(TestApiKeys.Admin);

        using var created = await finance.PutAsJsonAsync("/api/v1/contracts/anthem-ppo", AnthemPpo());
        var body = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), body.ToJsonString());
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo("/api/v1/contracts/anthem-ppo"));
        Assert.Multiple(() =>
        {
            Assert.That((string?)body["id"], Is.EqualTo("anthem-ppo"));
            Assert.That((string?)body["payerId"], Is.EqualTo("040"));
            Assert.That(body["match"]!["groupNumbers"]!.AsArray().Select(g => (string?)g), Is.EqualTo(new[] { "G-100", "G-200" }), "trimmed");
            Assert.That(body["match"]!["insuranceTypes"]!.AsArray().Select(g => (string?)g), Is.EqualTo(new[] { "PR" }), "codes upper-cased");
            Assert.That((decimal?)body["allowedPerDay"], Is.EqualTo(410.00m));
            Assert.That((string?)body["effectiveTo"], Is.EqualTo("2026-12-31"));
            Assert.That((string?)body["updatedBy"], Is.EqualTo("test-finance"));
        });

        using var replaced = await admin.PutAsJsonAsync("/api/v1/contracts/anthem-ppo", new
        {
            id = "anthem-ppo",
            payerId = "040",
            network = "out",
            outOfNetworkAllowed = new { percentOfCharge = 60 },
            effectiveFrom = "2026-01-01",
        });
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var read = await finance.GetAsync("/api/v1/contracts/anthem-ppo");
        var again = (await read.Content.ReadFromJsonAsync<JsonObject>())!;
        var listed = (await finance.GetFromJsonAsync<JsonArray>("/api/v1/contracts?payerId=040"))!;
        var other = (await finance.GetFromJsonAsync<JsonArray>("/api/v1/contracts?payerId=60054"))!;
        Assert.Multiple(() =>
        {
            Assert.That((string?)again["network"], Is.EqualTo("out"));
            Assert.That((decimal?)again["outOfNetworkAllowed"]!["percentOfCharge"], Is.EqualTo(60m));
            Assert.That(again["match"]!["planNameContains"], Is.Null, "replaced as a whole, not merged");
            Assert.That(listed.Select(c => (string?)c!["id"]), Is.EqualTo(new[] { "anthem-ppo" }));
            Assert.That(other, Is.Empty);
        });

        using var deleted = await finance.DeleteAsync("/api/v1/contracts/anthem-ppo");
        using var gone = await finance.GetAsync("/api/v1/contracts/anthem-ppo");
        using var deletedAgain = await finance.DeleteAsync("/api/v1/contracts/anthem-ppo");
        Assert.That((deleted.StatusCode, gone.StatusCode, deletedAgain.StatusCode), Is.EqualTo((HttpStatusCode.NoContent, HttpStatusCode.NotFound, HttpStatusCode.NotFound)));

        var audit = await _app.Services.GetRequiredService<AuditStore>().ListForRecordAsync(AuditRecordTypes.Contract, "anthem-ppo", CancellationToken.None);
        Assert.That(audit.Select(a => (a.Action, a.Actor)), Is.EqualTo(new[] { ("create", "test-finance"), ("update", "test-admin"), ("delete", "test-finance") }));
    }

    [Test]
    public async Task Every_bad_field_is_named_as_a_problem_without_echoing_its_value()
    {
        using var finance = _app.CreateClient(TestApiKeys.Finance);

        using var response = await finance.PutAsJsonAsync("/api/v1/contracts/bad", new
        {
            id = "not-bad",
            payerId = "SECRET-PAYER!",
            match = new { planNameContains = "  ", groupNumbers = new[] { "ok", "" }, insuranceTypes = new[] { "TOOLONG" } },
            network = "sideways",
            allowedPerDay = -1m,
            outOfNetworkAllowed = new { perDay = 100.001m, percentOfCharge = 150 },
            effectiveFrom = "2026-06-01",
            effectiveTo = "2026-05-31",
        });
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var text = problem.ToJsonString();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[]
        {
            "id", "payerId", "network", "allowedPerDay", "outOfNetworkAllowed",
            "effectiveTo", "match.planNameContains", "match.groupNumbers[1]", "match.insuranceTypes[0]",
        }));
        Assert.That(text, Does.Not.Contain("SECRET-PAYER").And.Not.Contain("sideways").And.Not.Contain("TOOLONG"));
    }

    [Test]
    public async Task A_body_the_serializer_cannot_read_and_a_bad_id_are_400_and_missing_fields_are_required()
    {
        using var finance = _app.CreateClient(TestApiKeys.Finance);

        using var unreadable = await finance.PutAsync("/api/v1/contracts/x", new StringContent("""{ "payerId": "040", "allowedPerDay": "lots" }""", System.Text.Encoding.UTF8, "application/json"));
        using var empty = await finance.PutAsync("/api/v1/contracts/x", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        using var badId = await finance.PutAsJsonAsync("/api/v1/contracts/-x", AnthemPpo());
        var unreadableErrors = (await unreadable.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        var emptyErrors = (await empty.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();

        Assert.That((unreadable.StatusCode, empty.StatusCode, badId.StatusCode), Is.EqualTo((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)));
        Assert.That(unreadableErrors.Select(e => e.Key), Does.Contain("allowedPerDay"));
        Assert.That(emptyErrors.Select(e => e.Key), Is.EquivalentTo(new[] { "payerId", "network", "effectiveFrom" }));
    }
}
