using CoverageCheck.Service.Features.Verifications;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Verifications;

internal sealed class ControlNumberTests
{
    [Test]
    public void Ids_created_in_the_same_millisecond_get_distinct_nine_digit_control_numbers()
    {
        // A census batch creates thousands of version-7 ids with one timestamp; their control numbers must still differ.
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero)).GetUtcNow();
        var numbers = Enumerable.Range(0, 10_000)
            .Select(_ => VerificationProcessor.ControlNumber(Guid.CreateVersion7(now), VerificationProcessor.SubstanceAbuseServiceType))
            .ToList();

        Assert.That(numbers, Has.All.Match("^[0-9]{9}$"));
        Assert.That(numbers.Distinct().Count(), Is.GreaterThan(9_990), "collisions only by chance in 10^9");
    }

    [Test]
    public void The_fallback_inquiry_for_service_type_30_has_its_own_control_number()
    {
        var id = Guid.CreateVersion7();

        Assert.That(VerificationProcessor.ControlNumber(id, VerificationProcessor.HealthPlanServiceType),
            Is.Not.EqualTo(VerificationProcessor.ControlNumber(id, VerificationProcessor.SubstanceAbuseServiceType)));
    }
}
