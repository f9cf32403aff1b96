using System.Net;
using System.Net.Http.Json;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.DependencyInjection;
using static CoverageCheck.Service.Tests.Dependents.DependentRequestTests;

namespace CoverageCheck.Service.Tests.Dependents;

/// <summary>
/// Issue #16: a dependent verified through the API against the sandbox family over HTTP — asked as a dependent under the
/// subscriber, or as the subscriber when they have an ID of their own, and the other way once when the payer finds no one.
/// </summary>
internal sealed class DependentInquiryTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private async Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonObject Body, string[] Audit)> VerifyAsync(object request)
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        using var response = await client.PostAsJsonAsync("/api/v1/verifications", request);
        var body = await VerificationsHost.ReadAsync(response);
        var audit = await _host.Factory.Services.GetRequiredService<AuditStore>()
            .ListForRecordAsync(AuditRecordTypes.Verification, (string)body["id"]!, CancellationToken.None);
        return (response.StatusCode, body, [.. audit.Select(a => a.Action).Where(a => a.StartsWith("inquiry-", StringComparison.Ordinal))]);
    }

    [Test]
    public async Task A_child_on_a_parents_plan_is_verified_as_a_dependent_with_the_familys_benefits_and_an_estimate()
    {
        var (status, body, audit) = await VerifyAsync(Dependent("child", Rosa));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
        Assert.Multiple(() =>
        {
            Assert.That((string?)body["status"], Is.EqualTo("completed"));
            Assert.That((string?)body["inquiry"]!["sentAs"], Is.EqualTo("dependent"));
            Assert.That((int?)body["inquiry"]!["attempts"], Is.EqualTo(1));
            Assert.That((string?)body["coverage"]!["patientIs"], Is.EqualTo("dependent"));
            Assert.That((decimal?)body["coverage"]!["inNetwork"]!["deductible"]!["family"]!["remaining"], Is.EqualTo(2400m));
            Assert.That((decimal?)body["estimate"]!["totals"]!["patient"], Is.GreaterThan(0m));
            Assert.That(audit, Is.EqualTo(new[] { "inquiry-dependent:answered" }));
        });
    }

    [Test]
    public async Task The_same_child_sent_as_subscriber_gets_AAA_75_and_the_automatic_second_try_both_audited()
    {
        var (status, body, audit) = await VerifyAsync(Dependent("child", Rosa, memberIdBelongsTo: "patient"));

        Assert.That(status, Is.EqualTo(HttpStatusCode.Created));
        Assert.Multiple(() =>
        {
            Assert.That((string?)body["status"], Is.EqualTo("completed"));
            Assert.That((string?)body["inquiry"]!["sentAs"], Is.EqualTo("dependent"));
            Assert.That((int?)body["inquiry"]!["attempts"], Is.EqualTo(2));
            Assert.That(body["errors"]!.AsArray(), Is.Empty);
            Assert.That(audit, Is.EqualTo(new[] { "inquiry-subscriber:aaa-75", "inquiry-dependent:answered" }));
        });
    }

    [Test]
    public async Task A_dependent_with_an_own_member_ID_is_found_as_the_subscriber_on_the_second_try()
    {
        var (_, body, audit) = await VerifyAsync(Dependent("child", Rosa, first: "UMA", dob: "2006-01-20", memberId: "W100000012"));

        Assert.Multiple(() =>
        {
            Assert.That((string?)body["status"], Is.EqualTo("completed"));
            Assert.That((string?)body["inquiry"]!["sentAs"], Is.EqualTo("subscriber"));
            Assert.That((int?)body["inquiry"]!["attempts"], Is.EqualTo(2));
            Assert.That((string?)body["coverage"]!["patientIs"], Is.EqualTo("dependent"));
            Assert.That(audit, Is.EqualTo(new[] { "inquiry-dependent:aaa-75", "inquiry-subscriber:answered" }));
        });
    }

    [Test]
    public async Task A_dependent_whose_own_ID_staff_name_is_asked_as_the_subscriber_first_and_once()
    {
        var (_, body, audit) = await VerifyAsync(Dependent("child", Rosa, first: "UMA", dob: "2006-01-20", memberId: "W100000012", memberIdBelongsTo: "patient"));

        Assert.That((string?)body["inquiry"]!["sentAs"], Is.EqualTo("subscriber"));
        Assert.That((int?)body["inquiry"]!["attempts"], Is.EqualTo(1));
        Assert.That(audit, Is.EqualTo(new[] { "inquiry-subscriber:answered" }));
    }

    [Test]
    public async Task A_spouse_not_found_either_way_needs_review_after_two_arrangements()
    {
        var (_, body, audit) = await VerifyAsync(Dependent("spouse", Rosa, first: "NOBODY", dob: "1990-01-01", memberId: "W100000010"));

        Assert.Multiple(() =>
        {
            Assert.That((string?)body["status"], Is.EqualTo("needs-review"));
            Assert.That((string?)body["lastErrorCode"], Does.Contain("71"), "the last answer: the family's ID, a date of birth not the subscriber's");
            Assert.That((int?)body["inquiry"]!["attempts"], Is.EqualTo(2));
            Assert.That(audit, Is.EqualTo(new[] { "inquiry-dependent:aaa-75", "inquiry-subscriber:aaa-71" }));
        });
    }

    [Test]
    public async Task The_subscriber_themself_is_asked_once_as_the_subscriber_with_no_inquiry_audit_entries()
    {
        var (_, body, audit) = await VerifyAsync(VerificationsApiTests.PpoMember);

        Assert.That((string?)body["inquiry"]!["sentAs"], Is.EqualTo("subscriber"));
        Assert.That((int?)body["inquiry"]!["attempts"], Is.EqualTo(1));
        Assert.That((string?)body["coverage"]!["patientIs"], Is.EqualTo("subscriber"));
        Assert.That(audit, Is.Empty);
    }
}
