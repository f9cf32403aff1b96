using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Tests.X12;

public sealed class X270BuilderTests
{
    private static readonly EligibilityInquiry Inquiry = new(
        PayerId: "00540",
        FirstName: "Jane",
        LastName: "O'Doe*Smith",
        DateOfBirth: new DateOnly(1985, 4, 12),
        MemberId: "W123456789",
        GroupNumber: "GRP~1",
        DateOfService: new DateOnly(2026, 12, 1),
        ServiceTypeCode: "AI",
        ControlNumber: "000123456");

    private static readonly InquiringProvider Provider = new("Example Recovery IOP", "1999999984");

    private static readonly X12Parties Parties = new("COVERAGECHECK", "STEDI");

    private static readonly DateTimeOffset CreatedAt = new(2026, 11, 28, 15, 4, 5, TimeSpan.Zero);

    [Test]
    public void The_270_reads_back_segment_by_segment_with_the_inquiry_in_place()
    {
        var text = X270Builder.Build(Inquiry, Provider, Parties, CreatedAt, payerName: "Example Health Plan");

        var segments = ReadAll(text, out var delimiters);

        Assert.That(delimiters, Is.EqualTo(X12Delimiters.Default));
        Assert.That(segments.Select(s => s[0]), Is.EqualTo(new[]
        {
            "ISA", "GS", "ST", "BHT", "HL", "NM1", "HL", "NM1", "HL", "TRN", "NM1", "REF", "DMG", "DTP", "EQ", "SE", "GE", "IEA",
        }));
        Assert.That(segments[0], Has.Length.EqualTo(17), "ISA has 16 elements");
        Assert.That(text.IndexOf('~', StringComparison.Ordinal), Is.EqualTo(105), "the ISA is fixed-width: 106 characters with its terminator");
        Assert.That(segments[0][13], Is.EqualTo("000123456"));
        Assert.That(segments[0][15], Is.EqualTo("T"));
        Assert.That(segments[0][9], Is.EqualTo("261128"));
        Assert.That(Segment(segments, "GS"), Is.EqualTo(new[] { "GS", "HS", "COVERAGECHECK", "STEDI", "20261128", "1504", "123456", "X", "005010X279A1" }));
        Assert.That(Segment(segments, "ST"), Is.EqualTo(new[] { "ST", "270", "000123456", "005010X279A1" }));
        Assert.That(Segment(segments, "BHT"), Is.EqualTo(new[] { "BHT", "0022", "13", "000123456", "20261128", "1504" }));
        Assert.That(segments[5], Is.EqualTo(new[] { "NM1", "PR", "2", "EXAMPLE HEALTH PLAN", "", "", "", "", "PI", "00540" }));
        Assert.That(segments[7], Is.EqualTo(new[] { "NM1", "1P", "2", "EXAMPLE RECOVERY IOP", "", "", "", "", "XX", "1999999984" }));
        Assert.That(segments[10], Is.EqualTo(new[] { "NM1", "IL", "1", "O'DOE SMITH", "JANE", "", "", "", "MI", "W123456789" }), "a delimiter inside a name becomes a space");
        Assert.That(Segment(segments, "REF"), Is.EqualTo(new[] { "REF", "6P", "GRP 1" }));
        Assert.That(Segment(segments, "DMG"), Is.EqualTo(new[] { "DMG", "D8", "19850412" }));
        Assert.That(Segment(segments, "DTP"), Is.EqualTo(new[] { "DTP", "291", "D8", "20261201" }));
        Assert.That(Segment(segments, "EQ"), Is.EqualTo(new[] { "EQ", "AI" }));
        Assert.That(Segment(segments, "SE"), Is.EqualTo(new[] { "SE", "14", "000123456" }), "ST through SE is 14 segments");
        Assert.That(int.Parse(Segment(segments, "SE")[1], System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(SegmentsFromStToSe(segments)));
        Assert.That(Segment(segments, "IEA"), Is.EqualTo(new[] { "IEA", "1", "000123456" }));
    }

    [Test]
    public void The_hierarchy_is_payer_provider_subscriber()
    {
        var segments = ReadAll(X270Builder.Build(Inquiry with { GroupNumber = null }, Provider, Parties, CreatedAt), out _);

        var levels = segments.Where(s => s[0] == "HL").Select(s => string.Join('*', s.Skip(1))).ToList();
        Assert.That(levels, Is.EqualTo(new[] { "1**20*1", "2*1*21*1", "3*2*22*0" }));
        Assert.That(segments.Any(s => s[0] == "REF"), Is.False, "no group number, no REF");
        Assert.That(Segment(segments, "SE")[1], Is.EqualTo("13"));
        Assert.That(SegmentsFromStToSe(segments), Is.EqualTo(13));
    }

    [Test]
    public void Other_delimiters_line_breaks_and_production_usage_are_honoured()
    {
        var delimiters = new X12Delimiters('|', '!', '>', '\'');
        var text = X270Builder.Build(Inquiry, Provider, Parties with { Production = true }, CreatedAt, delimiters: delimiters, lineBreaks: true);

        var segments = ReadAll(text, out var read);

        Assert.That(read, Is.EqualTo(delimiters));
        Assert.That(text, Does.Contain("'\n"));
        Assert.That(segments[0][15], Is.EqualTo("P"));
        Assert.That(segments[0][11], Is.EqualTo("!"));
        Assert.That(Segment(segments, "SE")[1], Is.EqualTo("14"));
        Assert.That(segments.First(s => s[0] == "NM1"), Is.EqualTo(new[] { "NM1", "PR", "2", "00540", "", "", "", "", "PI", "00540" }), "without a payer name the ID stands in");
    }

    [TestCase("12345")]
    [TestCase("12345678A")]
    public void A_control_number_that_is_not_nine_digits_is_refused(string controlNumber) =>
        Assert.That(() => X270Builder.Build(Inquiry with { ControlNumber = controlNumber }, Provider, Parties, CreatedAt), Throws.ArgumentException);

    [Test]
    public void The_270_does_not_read_as_a_271()
    {
        var result = X271Reader.Read(X270Builder.Build(Inquiry, Provider, Parties, CreatedAt));

        Assert.That(result.Errors.Single().ToString(), Does.StartWith("segment 3 (ST), element 1: transaction set '270'"));
        Assert.That(result.Warnings, Has.Some.Matches<X12Issue>(w => w.Message.Contains("not HB", StringComparison.Ordinal)));
    }

    private static List<string[]> ReadAll(string text, out X12Delimiters delimiters)
    {
        var reader = new X12SegmentReader(text);
        Assert.That(reader.Fault, Is.Null);
        delimiters = reader.Delimiters;
        var segments = new List<string[]>();
        while (reader.Read(out var segment))
        {
            var elements = new string[segment.ElementCount + 1];
            elements[0] = segment.Id.ToString();
            for (var i = 1; i <= segment.ElementCount; i++)
            {
                elements[i] = segment[i].ToString();
            }

            segments.Add(elements);
        }

        return segments;
    }

    private static int SegmentsFromStToSe(List<string[]> segments) =>
        segments.FindIndex(s => s[0] == "SE") - segments.FindIndex(s => s[0] == "ST") + 1;

    private static string[] Segment(List<string[]> segments, string id) => segments.Single(s => s[0] == id);
}
