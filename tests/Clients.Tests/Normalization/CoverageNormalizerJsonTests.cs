using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Clients.Tests.Normalization;

/// <summary>The normaliser over clearinghouse JSON: the shared samples, odd payer values, and the X12 twins.</summary>
public sealed class CoverageNormalizerJsonTests
{
    private static IEnumerable<TestCaseData> AllJsonFiles() => EligibilityFiles.AllFiles("*.json");

    /// <summary>Every JSON answer, shared or own, that carries its raw 271 in <c>x12</c>.</summary>
    private static IEnumerable<TestCaseData> JsonFilesWithX12Twins() =>
        AllJsonFiles().Where(c => ClearinghouseJson.TryDeserialize(File.ReadAllText((string)c.Arguments[0]!), out _)?.X12 is { Length: > 0 });

    [Test]
    public void The_twin_test_covers_the_shared_twins_and_the_own_fixtures()
    {
        var names = JsonFilesWithX12Twins().Select(c => Path.GetFileName((string)c.Arguments[0]!)).ToList();

        Assert.That(names, Has.Count.GreaterThanOrEqualTo(7));
        if (EligibilityFiles.SharedSamplesDirectory is not null)
        {
            Assert.That(names, Does.Contain("stedi-openapi-eligibility-response-mh-200.json").And.Contain("stedi-openapi-eligibility-response-aaa44-400.json"));
        }
    }

    [Test]
    public void Odd_payer_values_are_read_leniently_and_never_throw()
    {
        var reading = CoverageNormalizer.FromClearinghouseJson(EligibilityFiles.Fixture("odd-values.json"));

        Assert.That(reading.IsReadable, Is.True);
        Assert.That(reading.Payer, Is.EqualTo(new PayerInfo("00540", "ODD VALUES HEALTH")), "payer IDs keep their leading zeros");
        var coverage = reading.Coverage!;
        Assert.That(coverage.GroupNumber, Is.EqualTo("4455"), "a number where a string is expected keeps its text");
        Assert.That(coverage.PlanBegin, Is.EqualTo(new DateOnly(2026, 1, 1)), "from the plan range");
        Assert.That(coverage.PlanEnd, Is.EqualTo(new DateOnly(2026, 12, 31)), "planEnd is unreadable; the range end is used");
        Assert.That(coverage.EligibilityBegin, Is.EqualTo(new DateOnly(2024, 3, 1)), "YYYY-MM-DD is accepted");
        Assert.That(coverage.PlanName, Is.EqualTo("ODD PPO"));
        Assert.That(coverage.ServiceTypeUsed, Is.EqualTo("AI"));

        var inNetwork = coverage.InNetwork!;
        Assert.That(inNetwork.Deductible!.Individual, Is.EqualTo(new Amounts(1500.00m, 1250.00m, 250.00m)), "1500 as a JSON number, \"1,250.00\" with a thousands separator");
        Assert.That(inNetwork.OutOfPocketMax, Is.Null, "\"n/a\" is unknown, not zero");
        Assert.That(inNetwork.CoinsurancePercent, Is.EqualTo(20m), "\".2\" is 20%");
        Assert.That(inNetwork.PriorAuthorizationRequired, Is.True);
        Assert.That(inNetwork.CopayPerDay, Is.EqualTo(20.00m));
        Assert.That(inNetwork.VisitLimit, Is.EqualTo(new VisitLimit(30, null, "visits")), "\"30.0\" is 30; 7.5 visits is not a whole number");

        var outOfNetwork = coverage.OutOfNetwork!;
        Assert.That(outOfNetwork.CoinsurancePercent, Is.EqualTo(80m), "\"0.80\" is 80%");
        Assert.That(outOfNetwork.PriorAuthorizationRequired, Is.Null, "a JSON true is not the code Y");

        Assert.That(reading.Warnings, Has.Some.EqualTo("planDateInformation.planEnd is not a date (YYYYMMDD or YYYYMMDD-YYYYMMDD); ignored"));
        Assert.That(reading.Warnings, Has.Some.EqualTo("benefitsInformation[3]: out-of-pocket maximum (individual) amount is not a number; treated as unknown"));
        Assert.That(reading.Warnings, Has.Some.EqualTo("benefitsInformation[7]: visit limit quantity (EB10) is not a whole number; treated as unknown"));
        Assert.That(reading.Warnings, Has.Some.EqualTo("clearinghouse warning response::271::odd: a warning"));
        Assert.That(reading.Errors, Is.EqualTo(new[]
        {
            new AaaError("04", "Authorized Quantity Exceeded", "Please Resubmit Original Transaction", "P", null, AaaClass.Transient, true),
        }));
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("{\"benefitsInformation\": [", "not valid JSON (line 1")]
    [TestCase("[1, 2]", "a JSON array, not an object")]
    [TestCase("\"text\"", "a JSON string, not an object")]
    [TestCase("<html>502 Bad Gateway</html>", "not valid JSON")]
    public void Input_that_is_not_a_JSON_object_is_an_unreadable_reading(string body, string expected)
    {
        var reading = CoverageNormalizer.FromClearinghouseJson(body);

        Assert.That(reading.IsReadable, Is.False);
        Assert.That(reading.InputErrors.Single(), Does.Contain(expected));
        Assert.That(reading.Coverage, Is.Null);
    }

    [Test]
    public void Every_truncation_of_a_JSON_answer_returns_a_reading_without_throwing()
    {
        var json = EligibilityFiles.Fixture("odd-values.json").TrimEnd();
        for (var length = 0; length < json.Length; length++)
        {
            var cut = json[..length];
            EligibilityReading reading = null!;
            Assert.DoesNotThrow(() => reading = CoverageNormalizer.FromClearinghouseJson(cut), $"length {length}");
            Assert.That(reading.IsReadable, Is.False, $"length {length} is not a whole JSON document");
        }
    }

    [Test]
    public void The_Change_sandbox_carve_out_is_reported_with_the_phone_from_its_message()
    {
        var reading = CoverageNormalizer.FromClearinghouseJson(EligibilityFiles.Shared("chc-sandbox-CNTCR.json"));

        var coverage = reading.Coverage!;
        Assert.That(coverage.Active, Is.True);
        Assert.That(coverage.CarveOut, Is.EqualTo(new CarveOut(null, "8889464658", "AI", "Please contact your Behavioral Health Program Administrator @ 1-888-946-4658")));
        Assert.That(coverage.InNetwork, Is.Null);
        Assert.That(coverage.PlanBegin, Is.EqualTo(new DateOnly(2017, 2, 1)));
        Assert.That(coverage.PlanEnd, Is.Null, "99991231 is open-ended");
    }

    [Test]
    public void The_Change_sandbox_commercial_answer_reads_totals_without_EB06_and_remainders()
    {
        var coverage = CoverageNormalizer.FromClearinghouseJson(EligibilityFiles.Shared("chc-sandbox-AETNX.json")).Coverage!;

        Assert.That(coverage.ServiceTypeUsed, Is.EqualTo("30"));
        Assert.That(coverage.InNetwork!.Deductible, Is.EqualTo(new LevelAmounts(new Amounts(600.00m, 600.00m, 0.00m), new Amounts(1200.00m, 1200.00m, 0.00m))));
        Assert.That(coverage.InNetwork.OutOfPocketMax!.Individual, Is.EqualTo(new Amounts(3000.00m, 2997.46m, 2.54m)), "a G row without EB06 is the total");
        Assert.That(coverage.OutOfNetwork!.OutOfPocketMax!.Family, Is.EqualTo(new Amounts(12000.00m, 12000.00m, 0.00m)));
        Assert.That(coverage.PlanName, Is.EqualTo("Open POS Plus"));
    }

    [Test]
    public void The_Stedi_AAA_44_answer_is_one_correct_data_error_although_it_is_repeated_in_two_places()
    {
        var reading = CoverageNormalizer.FromClearinghouseJson(EligibilityFiles.Shared("stedi-openapi-eligibility-response-aaa44-400.json"));

        Assert.That(reading.Errors, Is.EqualTo(new[]
        {
            new AaaError("44", "Invalid/Missing Provider Name", "Please Correct and Resubmit", "C", "Loop 2100B", AaaClass.CorrectData, false),
        }));
        Assert.That(reading.Coverage, Is.Null);
        Assert.That(reading.Warnings.Single(), Does.StartWith("clearinghouse warning response::271::invalid_subscriber_insured_id"));
    }

    [Test]
    public void The_Stedi_MH_answer_takes_each_benefit_from_the_most_specific_service_type_that_states_it()
    {
        var reading = CoverageNormalizer.FromClearinghouseJson(EligibilityFiles.Shared("stedi-openapi-eligibility-response-mh-200.json"));

        var coverage = reading.Coverage!;
        Assert.That(coverage.ServiceTypeUsed, Is.EqualTo("MH"));
        Assert.That(coverage.PlanBegin, Is.EqualTo(new DateOnly(2024, 1, 1)));
        Assert.That(coverage.PlanEnd, Is.EqualTo(new DateOnly(2024, 12, 31)));
        Assert.That(coverage.InNetwork!.Deductible!.Individual, Is.EqualTo(new Amounts(0.00m, 0.00m, 0.00m)), "the A8 row ($0) is more specific than 30 ($250)");
        Assert.That(coverage.InNetwork.PriorAuthorizationRequired, Is.False, "A8 says EB11 N");
        Assert.That(coverage.InNetwork.OutOfPocketMax!.Individual, Is.EqualTo(new Amounts(3000.00m, 2760.00m, 240.00m)));
        Assert.That(coverage.InNetwork.CoinsurancePercent, Is.EqualTo(10m));
        Assert.That(coverage.OutOfNetwork!.Deductible!.Family, Is.EqualTo(new Amounts(15000.00m, 15000.00m, 0.00m)));
        Assert.That(coverage.OutOfNetwork.CoinsurancePercent, Is.EqualTo(50m));
        Assert.That(reading.Assumptions, Has.Some.EqualTo("in-network deductible: no MH row states it; taken from service type A8"));
    }

    /// <summary>eligibility.md: "the JSON's x12 twin must normalise to the same benefits as the JSON itself".</summary>
    [TestCaseSource(nameof(JsonFilesWithX12Twins))]
    public void A_JSON_answer_and_its_x12_twin_normalise_to_the_same_benefits(string path)
    {
        var response = ClearinghouseJson.TryDeserialize(File.ReadAllText(path), out _)!;
        var x12 = response.X12!;

        var fromJson = CoverageNormalizer.FromClearinghouse(response);
        var fromX12 = CoverageNormalizer.FromX12(x12);

        Assert.That(fromX12.IsReadable, Is.True, string.Join("; ", fromX12.InputErrors));
        Assert.That(Benefits(fromX12.Coverage), Is.EqualTo(Benefits(fromJson.Coverage)));
        Assert.That(fromX12.Errors.Select(e => (e.Code, e.Class, e.Retryable, e.FollowUpActionCode)),
            Is.EqualTo(fromJson.Errors.Select(e => (e.Code, e.Class, e.Retryable, e.FollowUpActionCode))));
        Assert.That(fromX12.Assumptions.Select(WithoutRowLocation), Is.EqualTo(fromJson.Assumptions.Select(WithoutRowLocation)));
    }

    [TestCaseSource(nameof(AllJsonFiles))]
    public void Every_JSON_file_normalises_without_throwing(string path)
    {
        EligibilityReading reading = null!;
        Assert.DoesNotThrow(() => reading = CoverageNormalizer.FromClearinghouseJson(File.ReadAllText(path)));
        Assert.That(reading.IsReadable, Is.True);
    }

    /// <summary>
    /// What "the same benefits" means: everything of the coverage but the group number, which the Stedi MH sample's
    /// JSON and x12 disagree on (planInformation 12341234 vs REF*6P 123456789).
    /// </summary>
    private static object? Benefits(NormalizedCoverage? coverage) =>
        coverage is null ? null : coverage with { GroupNumber = null };

    private static string WithoutRowLocation(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"benefitsInformation\[\d+\]|segment \d+ \(EB\)", "row");
}
