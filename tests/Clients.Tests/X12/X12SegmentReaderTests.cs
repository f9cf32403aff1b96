using CoverageCheck.Clients.Tests.Normalization;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Tests.X12;

public sealed class X12SegmentReaderTests
{
    private const string Minimal =
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*0930*^*00501*000000001*0*T*:~" +
        "GS*HB*SENDER*RECEIVER*20261201*0930*1*X*005010X279A1~ST*271*0001*005010X279A1~EB*1*IND*AI^AJ^AK**PLAN~SE*3*0001~GE*1*1~IEA*1*000000001~";

    [Test]
    public void Delimiters_come_from_the_ISA()
    {
        var reader = new X12SegmentReader(Minimal);

        Assert.That(reader.Fault, Is.Null);
        Assert.That(reader.Delimiters, Is.EqualTo(new X12Delimiters('*', '^', ':', '~')));
    }

    [Test]
    public void Non_standard_delimiters_and_a_newline_terminator_are_read_from_the_ISA()
    {
        var text = EligibilityFiles.Fixture("nonstandard-delimiters.271");

        var reader = new X12SegmentReader(text);
        var ids = new List<string>();
        var ebServiceTypes = new List<string>();
        while (reader.Read(out var segment))
        {
            ids.Add(segment.Id.ToString());
            if (segment.Is("EB") && segment[1].SequenceEqual("A"))
            {
                ebServiceTypes.Add(segment[3].ToString());
            }
        }

        Assert.That(reader.Delimiters, Is.EqualTo(new X12Delimiters('|', '!', '>', '\n')));
        Assert.That(ids[0], Is.EqualTo("ISA"));
        Assert.That(ids[^1], Is.EqualTo("IEA"));
        Assert.That(ebServiceTypes, Is.EqualTo(new[] { "AI!AJ" }));
    }

    [Test]
    public void A_byte_order_mark_leading_whitespace_and_CRLF_between_segments_are_skipped()
    {
        // File.ReadAllText drops a byte-order mark, so put one back the way a string from elsewhere would carry it.
        var text = "\uFEFF" + EligibilityFiles.Fixture("crlf-line-breaks.271");
        Assert.That(text, Does.Contain("~\r\n"));

        var reader = new X12SegmentReader(text);
        var ids = new List<string>();
        while (reader.Read(out var segment))
        {
            ids.Add(segment.Id.ToString());
            Assert.That(segment.Text.ToString(), Does.Not.Contain('\r').And.Not.Contain('\n'));
        }

        Assert.That(reader.Fault, Is.Null);
        Assert.That(ids, Has.Count.EqualTo(21));
        Assert.That(ids[^1], Is.EqualTo("IEA"));
    }

    [Test]
    public void Elements_are_addressed_by_their_guide_position_and_absent_ones_read_empty()
    {
        var reader = new X12SegmentReader(Minimal);
        string? eb01 = null, eb03 = null, eb05 = null, eb12 = null;
        int position = 0;
        while (reader.Read(out var segment))
        {
            if (segment.Is("EB"))
            {
                eb01 = segment.GetString(1);
                eb03 = segment[3].ToString();
                eb05 = segment.GetString(5);
                eb12 = segment.GetString(12);
                position = segment.Position;
            }
        }

        Assert.That(eb01, Is.EqualTo("1"));
        Assert.That(eb03, Is.EqualTo("AI^AJ^AK"));
        Assert.That(eb05, Is.EqualTo("PLAN"));
        Assert.That(eb12, Is.Null);
        Assert.That(position, Is.EqualTo(4), "ISA is segment 1");
    }

    [Test]
    public void Components_of_a_composite_element_are_split_on_ISA16()
    {
        var text = Minimal.Replace("EB*1*IND*AI^AJ^AK**PLAN~", "EB*1*IND*30**********HC:H0015:HF~", StringComparison.Ordinal);
        var reader = new X12SegmentReader(text);
        string? procedure = null, modifier = null;
        while (reader.Read(out var segment))
        {
            if (segment.Is("EB"))
            {
                procedure = segment.GetComponent(13, 2).ToString();
                modifier = segment.GetComponent(13, 3).ToString();
            }
        }

        Assert.That(procedure, Is.EqualTo("H0015"));
        Assert.That(modifier, Is.EqualTo("HF"));
    }

    [TestCase("", "the input is empty")]
    [TestCase("GS*HB*X~", "expected an ISA segment")]
    [TestCase("ISA*00*", "truncated")]
    [TestCase("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*0930*^*00501*000000001*0*T", "truncated")]
    [TestCase("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*0930*^*00501*000000001*0*T*:", "truncated")]
    [TestCase("ISAA00A          A00A          AZZASENDER         AZZARECEIVER       A261201A0930A^A00501A000000001A0ATA:~", "cannot be an element separator")]
    [TestCase("ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261201*0930*^*00501*000000001*0*T*~~", "not usable")]
    public void An_unreadable_ISA_is_a_fault_at_segment_1_and_nothing_is_read(string text, string expected)
    {
        var reader = new X12SegmentReader(text);

        Assert.That(reader.Fault, Is.Not.Null);
        Assert.That(reader.Fault!.Severity, Is.EqualTo(X12IssueSeverity.Error));
        Assert.That(reader.Fault.SegmentPosition, Is.EqualTo(1));
        Assert.That(reader.Fault.Message, Does.Contain(expected));
        Assert.That(reader.Read(out _), Is.False);
    }

    [Test]
    public void A_last_segment_without_terminator_is_still_read_and_flagged()
    {
        var reader = new X12SegmentReader(Minimal.TrimEnd('~'));
        var last = string.Empty;
        var terminated = true;
        while (reader.Read(out var segment))
        {
            last = segment.Id.ToString();
            terminated = segment.IsTerminated;
        }

        Assert.That(last, Is.EqualTo("IEA"));
        Assert.That(terminated, Is.False);
        Assert.That(reader.LastSegmentUnterminated, Is.True);
    }

    [Test]
    public void A_segment_with_more_elements_than_the_initial_table_is_read_whole()
    {
        var manyElements = "MSG" + string.Concat(Enumerable.Range(1, 100).Select(i => "*" + i));
        var reader = new X12SegmentReader(Minimal.Replace("SE*3", manyElements + "~SE*3", StringComparison.Ordinal));
        var count = 0;
        var hundredth = string.Empty;
        while (reader.Read(out var segment))
        {
            if (segment.Is("MSG"))
            {
                count = segment.ElementCount;
                hundredth = segment[100].ToString();
            }
        }

        Assert.That(count, Is.EqualTo(100));
        Assert.That(hundredth, Is.EqualTo("100"));
    }

    // #8: the reader finds separators and the terminator 16 characters at a time; a plan description of every length
    // up to 40 puts both at every position of a block, and after it, the next segment must still start right.
    [Test]
    public void Elements_read_the_same_wherever_they_fall_in_a_scanned_block([Range(0, 40)] int length)
    {
        var plan = new string('P', length);
        var reader = new X12SegmentReader(Minimal.Replace("EB*1*IND*AI^AJ^AK**PLAN~", $"EB*1*IND*30**{plan}*23*~", StringComparison.Ordinal));
        string? eb05 = null, eb06 = null, next = null;
        var elements = 0;
        while (reader.Read(out var segment))
        {
            if (segment.Is("EB"))
            {
                eb05 = segment[5].ToString();
                eb06 = segment[6].ToString();
                elements = segment.ElementCount;
            }
            else if (eb05 is not null && next is null)
            {
                next = segment.Text.ToString();
            }
        }

        Assert.That(eb05, Is.EqualTo(plan));
        Assert.That(eb06, Is.EqualTo("23"));
        Assert.That(elements, Is.EqualTo(7));
        Assert.That(next, Is.EqualTo("SE*3*0001"));
    }
}
