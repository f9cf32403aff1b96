using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Pages.Staff;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>
/// The result page's banner in the cases real payer answers showed (#15): a plan that ends during the program is not
/// simply green, and an answer that states nothing medical is not "active".
/// </summary>
internal sealed class ResultBannerTests
{
    private static readonly ProgramInfo Program = new(new DateOnly(2026, 12, 7), 8, 5); // to 2027-01-31

    private static VerificationView View(NormalizedCoverage coverage) => new(
        new VerificationResponse { Id = Guid.NewGuid(), Status = VerificationStatus.Completed, Coverage = coverage, Program = Program },
        "AETNA");

    private static NormalizedCoverage Active(DateOnly? planBegin = null, DateOnly? planEnd = null, DateOnly? eligibilityEnd = null) =>
        new(true, "Choice POS II", null, planBegin, planEnd, null, eligibilityEnd, null, null, null, "AI");

    [Test]
    public void A_plan_ending_inside_the_program_says_so_instead_of_plain_active()
    {
        var view = View(Active(eligibilityEnd: new DateOnly(2026, 12, 15)));

        Assert.That((view.Banner, view.EndsDuringProgram), Is.EqualTo(("ends-mid-program", true)));
    }

    [Test]
    public void A_plan_year_that_renews_during_the_program_is_still_active()
    {
        var view = View(Active(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));

        Assert.That((view.Banner, view.EndsDuringProgram), Is.EqualTo(("active", false)));
    }

    [Test]
    public void A_plan_ending_after_the_program_is_active()
    {
        Assert.That(View(Active(eligibilityEnd: new DateOnly(2027, 3, 31))).Banner, Is.EqualTo("active"));
    }

    [Test]
    public void An_answer_that_states_no_medical_coverage_is_not_active()
    {
        var dentalOnly = Active() with { NoMedicalCoverageStated = true };

        Assert.That(View(dentalOnly).Banner, Is.EqualTo("no-medical"));
    }
}
