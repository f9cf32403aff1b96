using System.Net;
using System.Net.Http.Json;
using System.Text;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Dependents;

/// <summary>
/// Issue #16, the contract of a dependent's verification: <c>patient.relationshipToSubscriber</c> and <c>subscriber</c>
/// on <c>POST /api/v1/verifications</c>, checked field by field, and stored inside the encrypted payload only.
/// </summary>
internal sealed class DependentRequestTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    internal static object Dependent(
        string relationship,
        object? subscriber,
        string first = "TESS",
        string last = "FAMILYHEAD",
        string dob = "2004-09-09",
        string memberId = "W100000010",
        string? memberIdBelongsTo = null,
        bool program = true) => new
    {
        patient = new { firstName = first, lastName = last, dateOfBirth = dob, relationshipToSubscriber = relationship },
        subscriber,
        insurance = new { payerId = SandboxCatalogue.Aetna, memberId, memberIdBelongsTo },
        dateOfService = "2026-12-01",
        consent = new { obtained = true, method = "verbal" },
        program = program ? new { startDate = "2026-12-07", weeks = 8, daysPerWeek = 5 } : null,
        pricing = new { chargePerDay = 450.00m },
    };

    internal static object Rosa => new { firstName = "ROSA", lastName = "FAMILYHEAD", dateOfBirth = "1978-02-14" };

    [Test]
    public async Task A_dependent_without_a_subscriber_is_refused_naming_the_subscriber()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", Dependent("child", subscriber: null));
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "subscriber" }));
    }

    [Test]
    public async Task Each_bad_subscriber_field_is_named_and_no_value_is_echoed()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications",
            Dependent("spouse", new { firstName = "  ", lastName = new string('Z', 61), dateOfBirth = "2099-01-01" }));
        var text = await response.Content.ReadAsStringAsync();
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
            Is.EquivalentTo(new[] { "subscriber.firstName", "subscriber.lastName", "subscriber.dateOfBirth" }));
        Assert.That(text, Does.Not.Contain("ZZZZ").And.Not.Contain("2099"));
    }

    [Test]
    public async Task An_unknown_relationship_or_member_id_owner_is_named()
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsJsonAsync("/api/v1/verifications",
            Dependent("cousin", Rosa, memberIdBelongsTo: "grandmother"));
        var problem = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key),
            Is.EquivalentTo(new[] { "patient.relationshipToSubscriber", "insurance.memberIdBelongsTo" }));
    }

    [Test]
    public async Task A_patient_without_a_relationship_is_the_subscriber_and_a_subscriber_sent_with_self_is_ignored()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        var request = new
        {
            patient = new { firstName = "AVA", lastName = "PPOSAMPLE", dateOfBirth = "1985-04-12" },
            subscriber = new { firstName = "", lastName = "", dateOfBirth = (string?)null },
            insurance = new { payerId = SandboxCatalogue.Aetna, memberId = "W100000001" },
            consent = new { obtained = true, method = "verbal" },
        };

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", request);
        var body = await VerificationsHost.ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That((string?)body["patient"]!["relationshipToSubscriber"], Is.EqualTo("self"));
        Assert.That(body["subscriber"], Is.Null);
    }

    [Test]
    public async Task The_subscriber_is_stored_encrypted_in_the_payload_and_read_back_with_the_verification()
    {
        using var host = new VerificationsHost();
        using var client = host.Client(TestApiKeys.Admissions);
        var subscriber = new { firstName = "ROSALINDA", lastName = "SUBSCRIBERSURNAME", dateOfBirth = "1978-02-14" };

        using var created = await client.PostAsJsonAsync("/api/v1/verifications", Dependent("child", subscriber, program: false));
        Assert.That((int)created.StatusCode, Is.AnyOf(201, 202));
        using var read = await client.GetAsync(created.Headers.Location);
        var body = await VerificationsHost.ReadAsync(read);

        Assert.Multiple(() =>
        {
            Assert.That((string?)body["patient"]!["relationshipToSubscriber"], Is.EqualTo("child"));
            Assert.That((string?)body["subscriber"]!["firstName"], Is.EqualTo("ROSALINDA"));
            Assert.That((string?)body["subscriber"]!["lastName"], Is.EqualTo("SUBSCRIBERSURNAME"));
            Assert.That((string?)body["subscriber"]!["dateOfBirth"], Is.EqualTo("1978-02-14"));
        });

        var dataDirectory = host.DataDirectory;
        var logs = string.Join('\n', host.Logs.Lines);
        await host.Factory.DisposeAsync();
        Assert.That(logs, Does.Not.Contain("SUBSCRIBERSURNAME").And.Not.Contain("ROSALINDA"));
        foreach (var path in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            foreach (var secret in new[] { "SUBSCRIBERSURNAME", "ROSALINDA", "1978-02-14", "19780214" })
            {
                Assert.That(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)), Is.LessThan(0), $"{Path.GetFileName(path)} holds '{secret}'");
            }
        }
    }
}
