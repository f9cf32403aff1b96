using System.Net;
using System.Net.Http.Json;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// Issue #17: the work queue lists authorisation reviews due in the next three days (and overdue) and authorisations
/// expiring, with the patient's name; "today" is the program's (Los Angeles), not UTC.
/// </summary>
internal sealed class QueueDueTests
{
    [Test]
    public async Task Reviews_due_in_the_next_three_days_and_authorisations_expiring_are_listed_with_the_patient()
    {
        // 28 November 2026, 07:00 in Los Angeles.
        using var host = new VerificationsHost(clock: new FakeTimeProvider(TestClock.Start));
        using var client = host.Client(TestApiKeys.Admissions);
        using var verified = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var id = (string)(await VerificationsHost.ReadAsync(verified))["id"]!;
        using var dueSoon = await client.PostAsJsonAsync($"/api/v1/verifications/{id}/authorizations", new
        {
            number = "AUTH-1", status = "approved", days = 10, effectiveDate = "2026-11-23", expirationDate = "2026-11-30", nextReviewDate = "2026-11-30",
        });
        using var later = await client.PostAsJsonAsync($"/api/v1/verifications/{id}/authorizations", new
        {
            number = "AUTH-2", status = "approved", days = 10, effectiveDate = "2026-12-07", expirationDate = "2027-01-05", nextReviewDate = "2026-12-16",
        });
        Assert.That(new[] { dueSoon.StatusCode, later.StatusCode }, Is.All.EqualTo(HttpStatusCode.Created), await dueSoon.Content.ReadAsStringAsync());

        var page = await client.GetStringAsync("/staff/queue");

        var due = page[page.IndexOf("id=\"queue-due\"", StringComparison.Ordinal)..];
        due = due[..due.IndexOf("</table>", StringComparison.Ordinal)];
        Assert.Multiple(() =>
        {
            Assert.That(due, Does.Contain("PPOSAMPLE, AVA"));
            Assert.That(due, Does.Contain("Review due Nov 30, 2026"));
            Assert.That(due, Does.Contain("Authorisation expires Nov 30, 2026"));
            Assert.That(due, Does.Not.Contain("Dec 16, 2026"), "a review two weeks away is not due yet");
            Assert.That(due, Does.Not.Contain("AUTH-1"), "the authorisation number stays on the verification's page");
        });
    }
}
