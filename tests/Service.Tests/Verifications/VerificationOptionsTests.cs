using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Tests.Verifications;

internal sealed class VerificationOptionsTests
{
    [TestCase(null, 40, 50)]
    [TestCase(null, 10, 12)]
    [TestCase(null, 3, 3)]
    [TestCase(null, 1, 1)]
    [TestCase(7, 40, 7)]
    public void The_worker_runs_a_quarter_above_the_clearinghouse_limit_unless_told_otherwise(int? configured, int clearinghouseLimit, int expected) =>
        Assert.That(new VerificationOptions { WorkerConcurrency = configured }.EffectiveWorkerConcurrency(clearinghouseLimit), Is.EqualTo(expected));
}
