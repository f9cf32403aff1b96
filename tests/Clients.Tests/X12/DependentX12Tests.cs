using System.Text.Json;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Tests.X12;

/// <summary>Issue #16: a dependent without an ID of their own, asked about in 2000D/2100D and read back from the 271's 2000D.</summary>
public sealed class DependentX12Tests
{
    private static readonly EligibilityInquiry ChildOfSubscriber = new(
        PayerId: "60054",
        FirstName: "Rosa",
        LastName: "Familyhead",
        DateOfBirth: new DateOnly(1978, 2, 14),
        MemberId: "W100000010",
        GroupNumber: null,
        DateOfService: new DateOnly(2026, 12, 1),
        ServiceTypeCode: "AI",
        ControlNumber: "000123456")
    {
        Dependent = new InquiryDependent("Tess", "Familyhead", new DateOnly(2004, 9, 9), Relationships.ToX12Code(Relationships.Child)),
    };

    private static readonly InquiringProvider Provider = new("Example Recovery IOP", "1999999984");

    [TestCase(Relationships.Spouse, "01")]
    [TestCase(Relationships.Child, "19")]
    [TestCase(Relationships.Other, "34")]
    [TestCase(Relationships.Self, "18")]
    public void Relationships_map_to_the_X12_individual_relationship_codes(string relationship, string code)
    {
        Assert.That(Relationships.ToX12Code(relationship), Is.EqualTo(code));
        Assert.That(Relationships.FromX12Code(code), Is.EqualTo(relationship));
    }

    [Test]
    public void The_270_for_a_dependent_has_the_subscriber_in_2000C_and_the_patient_in_2000D()
    {
        var text = X270Builder.Build(ChildOfSubscriber, Provider, new X12Parties("COVERAGECHECK", "STEDI"), new DateTimeOffset(2026, 11, 28, 15, 4, 5, TimeSpan.Zero));
        var segments = ReadAll(text);

        Assert.That(segments.Select(s => s[0]), Is.EqualTo(new[]
        {
            "ISA", "GS", "ST", "BHT", "HL", "NM1", "HL", "NM1", "HL", "NM1", "DMG", "HL", "TRN", "NM1", "DMG", "INS", "DTP", "EQ", "SE", "GE", "IEA",
        }));
        Assert.That(segments.Where(s => s[0] == "HL").Select(s => string.Join('*', s.Skip(1))), Is.EqualTo(new[] { "1**20*1", "2*1*21*1", "3*2*22*1", "4*3*23*0" }));
        Assert.That(segments[9], Is.EqualTo(new[] { "NM1", "IL", "1", "FAMILYHEAD", "ROSA", "", "", "", "MI", "W100000010" }));
        Assert.That(segments[10], Is.EqualTo(new[] { "DMG", "D8", "19780214" }));
        Assert.That(segments[13], Is.EqualTo(new[] { "NM1", "03", "1", "FAMILYHEAD", "TESS" }));
        Assert.That(segments[14], Is.EqualTo(new[] { "DMG", "D8", "20040909" }));
        Assert.That(segments[15], Is.EqualTo(new[] { "INS", "N", "19" }));
        Assert.That(segments[12][1], Is.EqualTo("1"), "the trace goes with the patient (2000D)");
        var st = segments.FindIndex(s => s[0] == "ST");
        var se = segments.FindIndex(s => s[0] == "SE");
        Assert.That(segments[se][1], Is.EqualTo((se - st + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    public void The_JSON_inquiry_carries_the_patient_in_dependents_with_the_relationship_code()
    {
        var json = JsonSerializer.Serialize(EligibilityRequestV3.From(ChildOfSubscriber, Provider), ClearinghouseJsonContext.Default.EligibilityRequestV3);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.That(root.GetProperty("subscriber").GetProperty("firstName").GetString(), Is.EqualTo("Rosa"));
        Assert.That(root.GetProperty("subscriber").GetProperty("memberId").GetString(), Is.EqualTo("W100000010"));
        var dependent = root.GetProperty("dependents").EnumerateArray().Single();
        Assert.That(dependent.GetProperty("firstName").GetString(), Is.EqualTo("Tess"));
        Assert.That(dependent.GetProperty("dateOfBirth").GetString(), Is.EqualTo("20040909"));
        Assert.That(dependent.GetProperty("individualRelationshipCode").GetString(), Is.EqualTo("19"));

        var self = JsonSerializer.Serialize(EligibilityRequestV3.From(ChildOfSubscriber with { Dependent = null }, Provider), ClearinghouseJsonContext.Default.EligibilityRequestV3);
        Assert.That(self, Does.Not.Contain("dependents"));
    }

    private const string Head =
        "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*COVERAGECHECK  *261201*0930*^*00501*000000104*0*T*:~" +
        "GS*HB*CLEARINGHOUSE*COVERAGECHECK*20261201*0930*101*X*005010X279A1~ST*271*0004*005010X279A1~BHT*0022*11*000123456*20261201*0930~" +
        "HL*1**20*1~NM1*PR*2*AETNA*****PI*60054~HL*2*1*21*1~NM1*1P*2*EXAMPLE RECOVERY IOP*****XX*1999999984~" +
        "HL*3*2*22*1~NM1*IL*1*FAMILYHEAD*ROSA****MI*W100000010~DMG*D8*19780214~DTP*346*D8*20260101~";

    private const string PlanRows = "EB*1*FAM*30*PR*FAMILY PPO~EB*C*FAM*30***23*3000*****Y~EB*C*FAM*30***29*2500*****Y~EB*A*IND*30*****.3****Y~";

    private const string Dependent = "HL*4*3*23*0~TRN*2*000123456*9999999984~NM1*03*1*FAMILYHEAD*TESS~DMG*D8*20040909~INS*N*19~";

    private static string Interchange(string body)
    {
        var segments = body.Split('~', StringSplitOptions.RemoveEmptyEntries).Length + 2; // ST … and SE itself, after ISA/GS
        return Head + body + $"SE*{segments}*0004~GE*1*101~IEA*1*000000104~";
    }

    [Test]
    public void The_271_reads_the_dependent_back_with_name_birth_and_relationship()
    {
        var read = X271Reader.Read(Interchange(Dependent + "EB*1*IND*AI*PR*FAMILY PPO~"));

        var answer = read.Responses.Single();
        Assert.That(answer.Dependent!.Loop, Is.EqualTo("2000D"));
        Assert.That(answer.Dependent.Name!.EntityIdentifierCode, Is.EqualTo("03"));
        Assert.That(answer.Dependent.Name.FirstName, Is.EqualTo("TESS"));
        Assert.That(answer.Dependent.DateOfBirth, Is.EqualTo("20040909"));
        Assert.That(Relationships.FromX12Code(answer.Dependent.RelationshipCode), Is.EqualTo(Relationships.Child));
    }

    [Test]
    public void The_dependents_own_2000D_rows_take_precedence_over_the_subscribers_plan_rows()
    {
        var own = "EB*1*IND*AI*PR*CHILD PPO~EB*C*IND*AI***23*1000*****Y~EB*C*IND*AI***29*400*****Y~EB*A*IND*AI*****.1****Y~";
        var readings = CoverageNormalizer.FromX12All(Interchange(PlanRows + Dependent + own));

        var dependent = readings.Readings.Last();
        Assert.That(dependent.Coverage!.PlanName, Is.EqualTo("CHILD PPO"));
        Assert.That(dependent.Coverage.InNetwork!.CoinsurancePercent, Is.EqualTo(10m));
        Assert.That(dependent.Coverage.InNetwork.Deductible!.Individual!.Remaining, Is.EqualTo(400m));
        Assert.That(dependent.Coverage.InNetwork.Deductible.Family, Is.Null, "the subscriber's family rows are not mixed in");
    }

    [Test]
    public void A_dependent_without_rows_of_their_own_is_read_with_the_subscribers_plan_rows()
    {
        var reading = CoverageNormalizer.FromX12All(Interchange(PlanRows + Dependent)).Readings.Last();

        Assert.That(reading.Coverage, Is.Not.Null);
        Assert.That(reading.Coverage!.Active, Is.True);
        Assert.That(reading.Coverage.PlanName, Is.EqualTo("FAMILY PPO"));
        Assert.That(reading.Coverage.InNetwork!.Deductible!.Family!.Remaining, Is.EqualTo(2500m));
        Assert.That(reading.Coverage.InNetwork.CoinsurancePercent, Is.EqualTo(30m));
    }

    private static List<string[]> ReadAll(string text)
    {
        var reader = new X12SegmentReader(text);
        Assert.That(reader.Fault, Is.Null);
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
}
