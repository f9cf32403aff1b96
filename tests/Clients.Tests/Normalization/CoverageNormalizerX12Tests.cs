using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Clients.Tests.Normalization;

/// <summary>The normaliser over the project's own 271 fixtures: one per rule of eligibility.md.</summary>
public sealed class CoverageNormalizerX12Tests
{
    private static IEnumerable<TestCaseData> All271Files() => EligibilityFiles.AllFiles("*.271");

    [Test]
    public void PPO_totals_remainders_and_year_to_date_met_rows_become_total_remaining_and_met()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("ppo-deductible-coinsurance.271"));

        Assert.That(reading.IsReadable, Is.True);
        Assert.That(reading.Payer, Is.EqualTo(new PayerInfo("60054", "EXAMPLE PPO")));
        var coverage = reading.Coverage!;
        Assert.That(coverage.Active, Is.True);
        Assert.That(coverage.PlanName, Is.EqualTo("CHOICE POS II"));
        Assert.That(coverage.GroupNumber, Is.EqualTo("GRP1001"));
        Assert.That(coverage.PlanBegin, Is.EqualTo(new DateOnly(2026, 1, 1)));
        Assert.That(coverage.PlanEnd, Is.EqualTo(new DateOnly(2026, 12, 31)));
        Assert.That(coverage.ServiceTypeUsed, Is.EqualTo("AI"));

        var inNetwork = coverage.InNetwork!;
        Assert.That(inNetwork.Deductible!.Individual, Is.EqualTo(new Amounts(1500.00m, 1125.40m, 374.60m)), "29 is the remainder; met = total − remaining");
        Assert.That(inNetwork.Deductible.Family, Is.EqualTo(new Amounts(3000.00m, 2100.00m, 900.00m)), "24 is year to date met; remaining = total − met");
        Assert.That(inNetwork.OutOfPocketMax!.Individual, Is.EqualTo(new Amounts(6000.00m, 5100.00m, 900.00m)));
        Assert.That(inNetwork.OutOfPocketMax.Family, Is.EqualTo(new Amounts(null, null, null, Unlimited: true)), "9999999.99 means no limit");
        Assert.That(inNetwork.CoinsurancePercent, Is.EqualTo(20m), "the AI row (.2) wins over the 30 row (.10)");
        Assert.That(inNetwork.PriorAuthorizationRequired, Is.True);
        Assert.That(inNetwork.CopayPerDay, Is.Null);

        var outOfNetwork = coverage.OutOfNetwork!;
        Assert.That(outOfNetwork.Deductible!.Individual, Is.EqualTo(new Amounts(3000.00m, null, null)), "a total alone: nothing is known to be met");
        Assert.That(outOfNetwork.CoinsurancePercent, Is.EqualTo(40m));
        Assert.That(reading.Assumptions, Has.Some.EqualTo("out-of-network deductible (individual): total 3000.00 given without a remainder; nothing is known to be met"));
        Assert.That(reading.Assumptions, Has.Some.EqualTo("in-network deductible: no AI row states it; taken from service type 30"));
    }

    [Test]
    public void HMO_copay_per_day_and_per_visit_fill_copay_per_day_by_tier()
    {
        var coverage = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("hmo-copay-only.271")).Coverage!;

        Assert.That(coverage.InNetwork!.CopayPerDay, Is.EqualTo(25.00m));
        Assert.That(coverage.OutOfNetwork!.CopayPerDay, Is.EqualTo(40.00m), "per visit (27): one IOP day is one visit");
        Assert.That(coverage.InNetwork.Deductible, Is.Null);
        Assert.That(coverage.InNetwork.CoinsurancePercent, Is.Null);
        Assert.That(coverage.InNetwork.PriorAuthorizationRequired, Is.True);
        Assert.That(coverage.PlanName, Is.EqualTo("HMO SELECT"));
    }

    [Test]
    public void An_inactive_row_makes_the_coverage_inactive()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("inactive.271"));

        Assert.That(reading.Coverage!.Active, Is.False);
        Assert.That(reading.Coverage.PlanEnd, Is.EqualTo(new DateOnly(2025, 12, 31)));
        Assert.That(reading.Coverage.InNetwork, Is.Null);
    }

    [Test]
    public void A_dependent_is_answered_for_with_family_accumulators_and_W_rows_in_both_tiers()
    {
        var coverage = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("family-dependent.271")).Coverage!;

        Assert.That(coverage.Active, Is.True);
        Assert.That(coverage.GroupNumber, Is.EqualTo("GRP1001"), "the subscriber's group applies to the dependent");
        Assert.That(coverage.InNetwork!.Deductible, Is.EqualTo(new LevelAmounts(new Amounts(2000.00m, 2000.00m, 0.00m), new Amounts(4000.00m, 1250.50m, 2749.50m))));
        Assert.That(coverage.InNetwork.OutOfPocketMax!.Family, Is.EqualTo(new Amounts(12000.00m, 8000.00m, 4000.00m)));
        Assert.That(coverage.OutOfNetwork!.OutOfPocketMax!.Family, Is.EqualTo(new Amounts(12000.00m, 8000.00m, 4000.00m)), "W applies to both tiers");
        Assert.That(coverage.OutOfNetwork.CoinsurancePercent, Is.EqualTo(30m));
        Assert.That(coverage.OutOfNetwork.Deductible, Is.Null, "the Y deductible rows are not out-of-network");
    }

    [Test]
    public void Visit_limits_read_total_and_remaining_per_tier()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("visit-limit.271"));

        Assert.That(reading.Coverage!.InNetwork!.VisitLimit, Is.EqualTo(new VisitLimit(30, 12, "visits")));
        Assert.That(reading.Coverage.OutOfNetwork!.VisitLimit, Is.EqualTo(new VisitLimit(10, null, "visits")));
        Assert.That(reading.Coverage.InNetwork.CopayPerDay, Is.EqualTo(35.00m));
        Assert.That(reading.Assumptions, Has.Some.Contains("out-of-network visit limit: 10 given without a remainder"));
    }

    [Test]
    public void A_contact_following_entity_row_on_AI_is_a_carve_out_and_no_tier_is_estimated()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("carve-out.271"));

        var coverage = reading.Coverage!;
        Assert.That(coverage.CarveOut, Is.EqualTo(new CarveOut("ACME BEHAVIORAL HEALTH", "8005551234", "AI", "Behavioral health benefits are administered by the vendor below")));
        Assert.That(coverage.InNetwork, Is.Null, "the medical plan's deductible must not be used");
        Assert.That(coverage.OutOfNetwork, Is.Null);
        Assert.That(coverage.Active, Is.True);
        Assert.That(reading.Assumptions, Has.Some.StartsWith("service type AI is administered by ACME BEHAVIORAL HEALTH (8005551234)"));
    }

    [Test]
    public void AAA_75_is_a_data_error_that_is_not_retried()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("aaa-75-subscriber-not-found.271"));

        Assert.That(reading.Coverage, Is.Null);
        Assert.That(reading.IsRetryable, Is.False);
        Assert.That(reading.Errors, Is.EqualTo(new[]
        {
            new AaaError("75", "Subscriber/Insured Not Found", "Please Correct and Resubmit", "C", "Loop 2100C", AaaClass.CorrectData, false),
        }));
    }

    [Test]
    public void AAA_42_at_the_payer_is_transient_and_retryable()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("aaa-42-payer-unavailable.271"));

        Assert.That(reading.IsReadable, Is.True);
        Assert.That(reading.IsRetryable, Is.True);
        Assert.That(reading.Errors, Is.EqualTo(new[]
        {
            new AaaError("42", "Unable to Respond at Current Time", "Resubmission Allowed", "R", "Loop 2000A", AaaClass.Transient, true),
        }));
        Assert.That(reading.Payer, Is.EqualTo(new PayerInfo("60054", "EXAMPLE HEALTH PLAN")));
    }

    [Test]
    public void Several_subscribers_are_all_returned_and_the_first_is_primary_with_a_warning()
    {
        var all = CoverageNormalizer.FromX12All(EligibilityFiles.Fixture("multiple-subscribers.271"));

        Assert.That(all.Readings, Has.Count.EqualTo(3));
        Assert.That(all.Primary, Is.SameAs(all.Readings[0]));
        Assert.That(all.Readings.Select(r => r.Coverage!.PlanName), Is.EqualTo(new[] { "PLAN ONE", "PLAN TWO", "PLAN THREE" }));
        Assert.That(all.Readings.Select(r => r.Coverage!.InNetwork?.Deductible?.Individual?.Total), Is.EqualTo(new decimal?[] { 500.00m, 750.00m, null }));
        Assert.That(all.Readings.Select(r => r.Coverage!.Active), Is.EqualTo(new bool?[] { true, true, false }));
        Assert.That(all.Primary.Warnings, Has.Some.StartsWith("the interchange holds 3 patient answers; this is the first"));
        Assert.That(all.Readings[1].Warnings, Is.Empty);
        Assert.That(CoverageNormalizer.FromX12(EligibilityFiles.Fixture("multiple-subscribers.271")), Is.EqualTo(all.Primary).Using<EligibilityReading>(SameReading));
    }

    [Test]
    public void CRLF_line_breaks_and_non_standard_delimiters_read_the_same_benefits()
    {
        var crlf = CoverageNormalizer.FromX12("\uFEFF" + EligibilityFiles.Fixture("crlf-line-breaks.271"));
        var pipes = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("nonstandard-delimiters.271"));

        Assert.That(crlf.IsReadable, Is.True);
        Assert.That(crlf.Coverage!.InNetwork!.CopayPerDay, Is.EqualTo(15.00m));
        Assert.That(pipes.IsReadable, Is.True);
        Assert.That(pipes.Coverage!.ServiceTypeUsed, Is.EqualTo("AI"), "AI!AJ is split on the repetition separator '!'");
        Assert.That(pipes.Coverage.InNetwork!.CoinsurancePercent, Is.EqualTo(25m));
        Assert.That(pipes.Coverage.InNetwork.Deductible!.Individual, Is.EqualTo(new Amounts(2500.00m, 2500.00m, 0.00m)));
    }

    [Test]
    public void Envelope_faults_are_warnings_on_a_readable_reading()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("envelope-faults.271"));

        Assert.That(reading.IsReadable, Is.True);
        Assert.That(reading.Warnings, Has.Count.EqualTo(3));
        Assert.That(reading.Warnings[0], Does.StartWith("segment 19 (SE), element 1: SE01 says"));
        Assert.That(reading.Coverage!.InNetwork!.Deductible!.Individual!.Total, Is.EqualTo(800.00m));
    }

    [TestCase("")]
    [TestCase("not x12 at all")]
    [TestCase("ISA*00*")]
    public void Unreadable_input_is_an_unreadable_reading_with_the_position(string text)
    {
        var reading = CoverageNormalizer.FromX12(text);

        Assert.That(reading.IsReadable, Is.False);
        Assert.That(reading.Coverage, Is.Null);
        Assert.That(reading.InputErrors.Single(), Does.StartWith("segment 1"));
    }

    [Test]
    public void A_truncated_file_keeps_what_was_read_but_is_not_readable()
    {
        var reading = CoverageNormalizer.FromX12(EligibilityFiles.Fixture("malformed-truncated.271"));

        Assert.That(reading.IsReadable, Is.False);
        Assert.That(reading.InputErrors.Single(), Does.Contain("(EB): the input ends inside transaction 0014"));
    }

    [TestCaseSource(nameof(All271Files))]
    public void Every_truncation_of_every_file_normalises_without_throwing(string path)
    {
        var text = File.ReadAllText(path);
        for (var length = 0; length <= text.Length; length++)
        {
            var cut = text[..length];
            Assert.DoesNotThrow(() => CoverageNormalizer.FromX12All(cut), $"length {length}");
        }
    }

    private static bool SameReading(EligibilityReading a, EligibilityReading b) =>
        a.Coverage == b.Coverage && a.Errors.SequenceEqual(b.Errors) && a.Warnings.SequenceEqual(b.Warnings) && a.Assumptions.SequenceEqual(b.Assumptions);
}
