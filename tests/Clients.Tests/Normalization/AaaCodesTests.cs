using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Clients.Tests.Normalization;

public sealed class AaaCodesTests
{
    [TestCase("42", "C", AaaClass.Transient)]
    [TestCase("80", null, AaaClass.Transient)]
    [TestCase("04", "N", AaaClass.Transient)]
    [TestCase("4", null, AaaClass.Transient)]
    [TestCase("75", "R", AaaClass.Transient)]
    [TestCase("72", "P", AaaClass.Transient)]
    [TestCase("15", "C", AaaClass.CorrectData)]
    [TestCase("33", "C", AaaClass.CorrectData)]
    [TestCase("43", "C", AaaClass.CorrectData)]
    [TestCase("44", "C", AaaClass.CorrectData)]
    [TestCase("56", "C", AaaClass.CorrectData)]
    [TestCase("57", "C", AaaClass.CorrectData)]
    [TestCase("58", "C", AaaClass.CorrectData)]
    [TestCase("60", "C", AaaClass.CorrectData)]
    [TestCase("61", "C", AaaClass.CorrectData)]
    [TestCase("62", "C", AaaClass.CorrectData)]
    [TestCase("63", "C", AaaClass.CorrectData)]
    [TestCase("64", "C", AaaClass.CorrectData)]
    [TestCase("65", "C", AaaClass.CorrectData)]
    [TestCase("67", "C", AaaClass.CorrectData)]
    [TestCase("71", "C", AaaClass.CorrectData)]
    [TestCase("72", "C", AaaClass.CorrectData)]
    [TestCase("73", "C", AaaClass.CorrectData)]
    [TestCase("74", "C", AaaClass.CorrectData)]
    [TestCase("75", "C", AaaClass.CorrectData)]
    [TestCase("76", "C", AaaClass.CorrectData)]
    [TestCase("77", "C", AaaClass.CorrectData)]
    [TestCase("78", "C", AaaClass.CorrectData)]
    [TestCase("41", "N", AaaClass.Configuration)]
    [TestCase("50", "N", AaaClass.Configuration)]
    [TestCase("51", "N", AaaClass.Configuration)]
    [TestCase("52", "N", AaaClass.Configuration)]
    [TestCase("79", "N", AaaClass.Configuration)]
    [TestCase("T4", "N", AaaClass.Configuration)]
    [TestCase("t4", null, AaaClass.Configuration)]
    [TestCase("53", "C", AaaClass.BenefitMismatch)]
    [TestCase("54", "C", AaaClass.BenefitMismatch)]
    [TestCase("55", "C", AaaClass.BenefitMismatch)]
    [TestCase("66", "C", AaaClass.Other)]
    [TestCase("35", null, AaaClass.Other)]
    [TestCase("ZZ", "W", AaaClass.Other)]
    public void Rejections_are_classed_as_eligibility_md_says(string code, string? followUp, AaaClass expected)
    {
        var error = AaaCodes.Create(code, null, followUp, null);

        Assert.That(error.Class, Is.EqualTo(expected));
        Assert.That(error.Retryable, Is.EqualTo(expected == AaaClass.Transient));
    }

    [TestCase("Please Correct and Resubmit", "C")]
    [TestCase("resubmission allowed", "R")]
    [TestCase("Please Resubmit Original Transaction", "P")]
    [TestCase("Do Not Resubmit; We Will Hold Your Request and Respond Again Shortly", "Y")]
    [TestCase("r", "R")]
    [TestCase("Call us", null)]
    public void Follow_up_actions_sent_as_text_map_to_their_code(string text, string? code) =>
        Assert.That(AaaCodes.FollowUpCode(text), Is.EqualTo(code));

    [Test]
    public void A_JSON_follow_up_given_as_text_R_makes_a_data_code_retryable()
    {
        var error = AaaCodes.Create("72", "Invalid/Missing Subscriber/Insured ID", "Resubmission Allowed", "Loop 2100C");

        Assert.That(error, Is.EqualTo(new AaaError("72", "Invalid/Missing Subscriber/Insured ID", "Resubmission Allowed", "R", "Loop 2100C", AaaClass.Transient, true)));
    }

    [Test]
    public void An_X12_code_without_description_gets_the_code_list_text()
    {
        var error = AaaCodes.Create("58", null, "C", "Loop 2100C");

        Assert.That(error.Description, Is.EqualTo("Invalid/Missing Date-of-Birth"));
        Assert.That(error.FollowUpAction, Is.EqualTo("Please Correct and Resubmit"));
    }
}
