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

internal sealed class PerPayerConcurrencyOptionsTests
{
    [Test]
    public void No_payer_has_a_limit_of_its_own_by_default_issue_19() =>
        Assert.That(new VerificationOptions().ConcurrencyFor("60054"), Is.Null);

    [TestCase("60054", 5)]
    [TestCase("87726", 12)]
    [TestCase("060054", 12)]
    public void A_payer_s_own_limit_takes_the_place_of_the_general_one(string payerId, int expected)
    {
        var options = new VerificationOptions { PerPayerConcurrency = 12, PayerConcurrency = { ["60054"] = 5 } };
        Assert.That(options.ConcurrencyFor(payerId), Is.EqualTo(expected));
    }

    [Test]
    public void A_payer_limit_out_of_range_fails_at_start_up()
    {
        var result = new VerificationOptionsCustomValidator().Validate(null, new VerificationOptions { PayerConcurrency = { ["60054"] = 0 } });
        Assert.That(result.Failed ? result.FailureMessage : "", Does.Contain("Verification:PayerConcurrency:60054"));
    }
}
