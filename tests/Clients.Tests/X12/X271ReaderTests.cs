using CoverageCheck.Clients.Tests.Normalization;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Tests.X12;

public sealed class X271ReaderTests
{
    private static IEnumerable<TestCaseData> All271Files() => EligibilityFiles.AllFiles("*.271");

    [Test]
    public void The_shared_TR3_example_reads_payer_provider_subscriber_and_every_EB_loop()
    {
        var result = X271Reader.Read(EligibilityFiles.Shared("lfh-subscriber-health-benefit-check.271"));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Is.Empty);
        Assert.That(result.Responses, Has.Count.EqualTo(1));
        var response = result.Responses[0];
        Assert.That(response.Payer!.Name!.LastOrOrganizationName, Is.EqualTo("ABC COMPANY"));
        Assert.That(response.Payer.Name.IdentificationCode, Is.EqualTo("841610001"));
        Assert.That(response.Provider!.Name!.IdentificationCodeQualifier, Is.EqualTo("SV"));
        Assert.That(response.Dependent, Is.Null);
        var benefits = response.Patient!.Benefits;
        Assert.That(benefits.Select(b => b.InformationCode), Is.EqualTo(new[] { "1", "L", "1", "B", "B" }));
        Assert.That(benefits[1].RelatedEntities.Single().Name.EntityIdentifierCode, Is.EqualTo("P3"));
        Assert.That(benefits[3].ServiceTypeCodes, Is.EqualTo(new[] { "1", "33", "35", "47", "86", "88", "98", "AL", "MH", "UC" }));
        Assert.That(benefits[3].MonetaryAmount, Is.EqualTo("10.00"));
        Assert.That(benefits[4].InPlanNetworkIndicator, Is.EqualTo("N"));
        Assert.That(response.Patient.Dates.Single().Begin, Is.EqualTo(new DateOnly(2006, 1, 1)));
    }

    [Test]
    public void The_shared_dependent_example_answers_for_the_dependent()
    {
        var result = X271Reader.Read(EligibilityFiles.Shared("lfh-dependent-health-benefit-check.271"));

        Assert.That(result.Errors, Is.Empty);
        var response = result.Responses.Single();
        Assert.That(response.Dependent, Is.Not.Null);
        Assert.That(response.Patient!.Loop, Is.EqualTo("2000D"));
        Assert.That(response.Dependent!.RelationshipCode, Is.EqualTo("19"));
        Assert.That(response.Dependent.Benefits, Has.Count.EqualTo(5));
        Assert.That(response.Subscriber!.Benefits, Is.Empty);
    }

    [Test]
    public void The_shared_MH_example_reads_all_40_EB_loops_with_messages_and_places_of_service()
    {
        var result = X271Reader.Read(EligibilityFiles.Shared("stedi-openapi-mh-example.271"));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Is.Empty, "SE01 119 matches");
        Assert.That(result.Delimiters!.Value.Component, Is.EqualTo('>'));
        var benefits = result.Responses.Single().Patient!.Benefits;
        Assert.That(benefits, Has.Count.EqualTo(40));
        Assert.That(benefits[1].Messages, Has.Count.EqualTo(4));
        Assert.That(benefits[12].AdditionalInformation.Single(), Is.EqualTo(new X271AdditionalInformation("ZZ", "22")));
        Assert.That(benefits[12].AuthorizationOrCertificationIndicator, Is.EqualTo("N"));
        Assert.That(benefits[12].InPlanNetworkIndicator, Is.EqualTo("Y"));
    }

    [Test]
    public void An_SE02_that_does_not_match_ST02_is_a_warning_with_its_position_and_the_content_is_still_read()
    {
        var result = X271Reader.Read(EligibilityFiles.Shared("lfh-subscriber-health-benefit-check-error-aaa50.271"));

        Assert.That(result.Errors, Is.Empty);
        var warning = result.Warnings.Single();
        Assert.That(warning.ToString(), Does.StartWith("segment 10 (SE), element 2:"));
        Assert.That(warning.Message, Does.Contain("'4323'").And.Contain("'4321'"));
        var rejection = result.Responses.Single().Provider!.Rejections.Single();
        Assert.That(rejection, Is.EqualTo(new X12Rejection("2100B", "Y", "50", "N", 9)));
    }

    [Test]
    public void Envelope_count_and_control_number_faults_are_warnings_and_the_benefits_are_read()
    {
        var result = X271Reader.Read(EligibilityFiles.Fixture("envelope-faults.271"));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings.Select(w => (w.SegmentId, w.ElementPosition)), Is.EqualTo(new (string?, int?)[] { ("SE", 1), ("GE", 2), ("IEA", 1) }));
        Assert.That(result.Warnings[0].Message, Does.Contain("'99'").And.Contain("it has 17"));
        Assert.That(result.Responses.Single().Patient!.Benefits.Select(b => b.MonetaryAmount), Is.EqualTo(new string?[] { null, "800" }));
    }

    [Test]
    public void Several_transactions_and_subscribers_are_all_read_in_file_order()
    {
        var result = X271Reader.Read(EligibilityFiles.Fixture("multiple-subscribers.271"));

        Assert.That(result.Errors, Is.Empty);
        Assert.That(result.Warnings, Is.Empty);
        Assert.That(result.Responses.Select(r => r.TransactionControlNumber), Is.EqualTo(new[] { "0009", "0009", "0010" }));
        Assert.That(result.Responses.Select(r => r.Patient!.Benefits[0].PlanCoverageDescription), Is.EqualTo(new[] { "PLAN ONE", "PLAN TWO", "PLAN THREE" }));
    }

    [Test]
    public void A_payer_rejection_without_any_subscriber_loop_is_still_an_answer()
    {
        var result = X271Reader.Read(EligibilityFiles.Fixture("aaa-42-payer-unavailable.271"));

        var response = result.Responses.Single();
        Assert.That(response.Subscriber, Is.Null);
        Assert.That(response.Payer!.Rejections.Single(), Is.EqualTo(new X12Rejection("2000A", "N", "42", "R", 6)));
    }

    [Test]
    public void A_related_entity_loop_carries_its_name_and_telephone()
    {
        var result = X271Reader.Read(EligibilityFiles.Fixture("carve-out.271"));

        var carveOut = result.Responses.Single().Patient!.Benefits.Single(b => b.InformationCode == "U");
        var entity = carveOut.RelatedEntities.Single();
        Assert.That(entity.Name.LastOrOrganizationName, Is.EqualTo("ACME BEHAVIORAL HEALTH"));
        Assert.That(entity.Contacts.Single().Phone, Is.EqualTo("8005551234"));
        Assert.That(carveOut.ServiceTypeCodes, Is.EqualTo(new[] { "AI", "MH" }));
    }

    [Test]
    public void A_truncated_transaction_is_an_error_naming_the_last_segment_read()
    {
        var text = EligibilityFiles.Fixture("malformed-truncated.271");

        var result = X271Reader.Read(text);

        Assert.That(result.IsReadable, Is.False);
        var error = result.Errors.Single();
        Assert.That(error.SegmentId, Is.EqualTo("EB"));
        Assert.That(error.SegmentPosition, Is.EqualTo(result.SegmentCount));
        Assert.That(error.ToString(), Does.Match(@"^segment \d+ \(EB\): the input ends inside transaction 0014 \(ST at segment 3\) before its SE"));
    }

    [Test]
    public void A_segment_ID_that_is_not_one_is_an_error_with_its_position()
    {
        var text = EligibilityFiles.Fixture("inactive.271").Replace("MSG*Coverage", "m$g*Coverage", StringComparison.Ordinal);

        var result = X271Reader.Read(text);

        var error = result.Errors.Single();
        Assert.That(error.SegmentPosition, Is.EqualTo(18));
        Assert.That(error.ToString(), Does.StartWith("segment 18: 'm$g' is not a segment ID"));
    }

    [Test]
    public void A_270_is_not_read_as_a_271()
    {
        var result = X271Reader.Read(EligibilityFiles.Shared("lfh-subscriber-health-benefit-check.270"));

        Assert.That(result.Errors.Single().ToString(), Does.StartWith("segment 3 (ST), element 1: transaction set '270' is not a 271"));
        Assert.That(result.Responses, Is.Empty);
    }

    [Test]
    public void An_EB_without_EB01_is_an_error_at_element_1()
    {
        var text = EligibilityFiles.Fixture("inactive.271").Replace("EB*6*IND", "EB**IND", StringComparison.Ordinal);

        var result = X271Reader.Read(text);

        Assert.That(result.Errors.Single().ToString(), Is.EqualTo("segment 17 (EB), element 1: EB01 (eligibility or benefit information code) is missing: the row cannot be read"));
    }

    // #8: X271Reader keeps the element starts in a stack buffer of 64; a longer segment must move to the heap intact.
    [Test]
    public void An_EB_with_more_elements_than_the_stack_buffer_holds_is_read_whole()
    {
        var padded = "EB*6*IND*30**GOLD 123 PLAN" + new string('*', 90) + "END~";
        var text = EligibilityFiles.Fixture("inactive.271").Replace("EB*6*IND*30**GOLD 123 PLAN~", padded, StringComparison.Ordinal);

        var result = X271Reader.Read(text);

        Assert.That(result.Errors, Is.Empty);
        var benefit = result.Responses.Single().Patient!.Benefits.Single();
        Assert.That(benefit.InformationCode, Is.EqualTo("6"));
        Assert.That(benefit.PlanCoverageDescription, Is.EqualTo("GOLD 123 PLAN"));
        Assert.That(benefit.Messages, Is.EqualTo(new[] { "Coverage terminated 12/31/2025" }));
    }

    [Test]
    public void A_non_numeric_amount_is_a_warning_at_its_element()
    {
        var text = EligibilityFiles.Fixture("envelope-faults.271").Replace("*800*", "*8O0*", StringComparison.Ordinal);

        var result = X271Reader.Read(text);

        Assert.That(result.Warnings.Select(w => w.ToString()), Has.Some.StartWith("segment 18 (EB), element 7: EB07 monetary amount '8O0' is not a number"));
    }

    [Test]
    public void An_EB_before_any_subscriber_loop_is_an_error()
    {
        var text = EligibilityFiles.Fixture("inactive.271").Replace("HL*3*2*22*0~", "EB*1~HL*3*2*22*0~", StringComparison.Ordinal);

        var result = X271Reader.Read(text);

        Assert.That(result.Errors.Single().ToString(), Does.StartWith("segment 10 (EB): EB outside a subscriber"));
    }

    [TestCaseSource(nameof(All271Files))]
    public void Every_file_reads_and_every_truncation_of_it_returns_a_result_without_throwing(string path)
    {
        var text = File.ReadAllText(path);
        var full = X271Reader.Read(text);
        Assert.That(full.SegmentCount, Is.GreaterThan(0));

        // Every cut before the first SE leaves the transaction unfinished (or no transaction at all): never readable.
        var firstTrailer = FirstTransactionTrailer(text, full.Delimiters);
        for (var length = 0; length < text.Length; length++)
        {
            var cut = text[..length];
            X271ReadResult result = null!;
            Assert.DoesNotThrow(() => result = X271Reader.Read(cut), $"length {length}");
            if (length <= firstTrailer)
            {
                Assert.That(result.IsReadable, Is.False, $"a cut at length {length}, before the SE, must be an error");
                Assert.That(result.Errors.All(e => e.SegmentPosition is not null), Is.True, $"every error names a segment (length {length})");
            }
        }
    }

    private static int FirstTransactionTrailer(string text, X12Delimiters? delimiters)
    {
        if (delimiters is not { } d)
        {
            return -1;
        }

        var marker = "SE" + d.Element;
        for (var index = text.IndexOf(marker, StringComparison.Ordinal); index >= 0; index = text.IndexOf(marker, index + 1, StringComparison.Ordinal))
        {
            var before = text[..index].TrimEnd('\r', '\n', ' ');
            if (before.Length > 0 && before[^1] == d.Segment || (d.Segment == '\n' && text[index - 1] == '\n'))
            {
                return index;
            }
        }

        return -1;
    }

    [TestCaseSource(nameof(All271Files))]
    public void Random_corruption_never_throws(string path)
    {
        var text = File.ReadAllText(path).ToCharArray();
        var random = new Random(271);
        ReadOnlySpan<char> alphabet = "*~^:|\r\n ABZ09\0\uFEFF";
        for (var round = 0; round < 300; round++)
        {
            var copy = (char[])text.Clone();
            for (var change = 0; change < 1 + (round % 5); change++)
            {
                copy[random.Next(copy.Length)] = alphabet[random.Next(alphabet.Length)];
            }

            var mutated = new string(copy);
            Assert.DoesNotThrow(() => X271Reader.Read(mutated));
        }
    }
}
