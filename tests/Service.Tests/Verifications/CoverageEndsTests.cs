using System.Net.Http.Json;
using CoverageCheck.Sandbox;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// #15 "coverage that ends mid-program", end to end through the sandbox: the same plan and benefits, once renewing and
/// once with the member's eligibility ending three weeks into the program, however the payer states the end.
/// </summary>
internal sealed class CoverageEndsTests
{
    [TestCase("eligibility-end")]
    [TestCase("plan-end")]
    [TestCase("plan-range")]
    public async Task A_member_whose_coverage_ends_mid_program_gets_coverage_ends_and_self_pay_for_the_later_sessions(string statedAs)
    {
        using var host = new VerificationsHost();
        using (var sandbox = await host.SandboxAsync())
        {
            using var update = await sandbox.PutAsJsonAsync("/sandbox/members/W100000020", new SandboxMemberUpdate(EndStatedAs: statedAs));
            Assert.That(update.IsSuccessStatusCode, Is.True, await update.Content.ReadAsStringAsync());
        }

        using var client = host.Client(TestApiKeys.Admissions);
        using var endingResponse = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("GIA", "ENDSMIDPROGRAM", "1987-05-19", SandboxCatalogue.Aetna, "W100000020"));
        using var renewingResponse = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember);
        var ending = await VerificationsHost.ReadAsync(endingResponse);
        var renewing = await VerificationsHost.ReadAsync(renewingResponse);

        Assert.Multiple(() =>
        {
            Assert.That((string?)ending["status"], Is.EqualTo("completed"));
            Assert.That((bool?)ending["coverage"]!["active"], Is.True, "active on the date of service");
            var endsOn = (string?)ending["coverage"]!["eligibilityEnd"] ?? (string?)ending["coverage"]!["planEnd"];
            Assert.That(endsOn, Is.EqualTo("2026-12-22"), "asked for 1 December, eligibility stops 21 days later");

            var estimate = ending["estimate"]!;
            Assert.That(estimate["warnings"]!.AsArray().Select(w => (string?)w), Does.Contain("coverage-ends"));
            Assert.That(renewing["estimate"]!["warnings"]!.AsArray().Select(w => (string?)w), Does.Not.Contain("coverage-ends"));
            Assert.That((string?)estimate["explanation"], Does.Contain("self-pay"));

            // 12 of the 40 sessions (7–22 December) are covered; the other 28 are the patient's at the self-pay rate.
            Assert.That((decimal)estimate["totals"]!["payer"]!, Is.LessThan((decimal)renewing["estimate"]!["totals"]!["payer"]!));
            Assert.That((decimal)estimate["totals"]!["patient"]!, Is.GreaterThan((decimal)renewing["estimate"]!["totals"]!["patient"]!));
        });
    }
}
