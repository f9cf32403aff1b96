using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Tests.Infrastructure;

/// <summary>
/// The one tolerant reader: it explains, for any feature's contract, why the source-generated serializer refused a
/// body, and reads what it can. Issue #13.
/// </summary>
[Parallelizable(ParallelScope.All)]
internal sealed class JsonProblemsTests
{
    private static readonly FieldErrors None = new();

    [Test]
    public void A_well_formed_body_is_read_by_the_serializer_alone()
    {
        var body = JsonRequestBody.Read(
            """{"name":"a","start":"2026-03-02","count":3,"choice":"second","items":[1,2],"inner":{"amount":1.50}}"""u8,
            ProbeJsonContext.Default.Probe,
            "probe");

        Assert.That(body.Errors.IsEmpty, Is.True);
        Assert.That(body.Value, Is.EqualTo(new Probe("a", new DateOnly(2026, 3, 2), 3, Choice.Second, body.Value!.Items, new Inner(1.50m))));
        Assert.That(body.Value.Items, Is.EqualTo(new[] { 1, 2 }));
    }

    [TestCase("""{"name":5}""", "name", "Must be a string.")]
    [TestCase("""{"start":"2026-02-30"}""", "start", "Must be a date as YYYY-MM-DD.")]
    [TestCase("""{"start":"03/02/2026"}""", "start", "Must be a date as YYYY-MM-DD.")]
    [TestCase("""{"count":2.5}""", "count", "Must be a whole number.")]
    [TestCase("""{"count":"three"}""", "count", "Must be a whole number.")]
    [TestCase("""{"choice":"third"}""", "choice", "Unknown choice: use \"first\" or \"second\".")]
    [TestCase("""{"choice":1}""", "choice", "Unknown choice: use \"first\" or \"second\".")]
    [TestCase("""{"items":[1,"two",3]}""", "items[1]", "Must be a whole number.")]
    [TestCase("""{"items":{}}""", "items", "Must be a JSON array.")]
    [TestCase("""{"inner":7}""", "inner", "Must be a JSON object.")]
    [TestCase("""{"inner":{"amount":"lots"}}""", "inner.amount", "Must be a number, such as 650.00.")]
    [TestCase("""{"count":1,"count":2}""", "count", "Give this field once: it appears more than once.")]
    [TestCase("""{"inner":{"amount":1,"Amount":2}}""", "inner.Amount", "Give this field once: it appears more than once.")]
    [TestCase("""{"name":"a","count":}""", "count", null)]
    [TestCase("""{"items":[1,oops]}""", "items[1]", null)]
    [TestCase("""[]""", "body", "The body must be a JSON object.")]
    [TestCase("""null""", "body", "The body must be a JSON object.")]
    [TestCase("""   """, "body", "A JSON probe is required.")]
    public void A_refused_body_names_the_field_and_why(string json, string field, string? message)
    {
        var body = JsonRequestBody.Read(Encoding.UTF8.GetBytes(json), ProbeJsonContext.Default.Probe, "probe");

        var errors = body.Errors.ToDictionary();
        Assert.That(errors.Keys, Is.EqualTo(new[] { field }));
        if (message is not null)
        {
            Assert.That(errors[field], Is.EqualTo(new[] { message }));
        }
    }

    [Test]
    public void Every_bad_field_is_named_at_once_and_the_good_ones_are_still_read()
    {
        var body = JsonRequestBody.Read(
            """{"name":"kept","start":"nope","count":"x","choice":"zzz","items":[1,2],"inner":{"amount":true}}"""u8,
            ProbeJsonContext.Default.Probe,
            "probe");

        Assert.That(body.Errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "start", "count", "choice", "inner.amount" }));
        Assert.That(body.Value, Is.Not.Null, "what could be read is read, so the feature's rules can run on it");
        Assert.That(body.Value!.Name, Is.EqualTo("kept"));
        Assert.That(body.Value.Items, Is.EqualTo(new[] { 1, 2 }));
        Assert.That(body.Value.Start, Is.Null);
        Assert.That(body.Value.Inner, Is.Not.Null);
    }

    [Test]
    public void No_message_echoes_the_value_that_was_sent()
    {
        const string secret = "JANE-DOE-19800101";
        var body = JsonRequestBody.Read(
            Encoding.UTF8.GetBytes($$"""{"name":1,"start":"{{secret}}","count":"{{secret}}","choice":"{{secret}}","items":["{{secret}}"]}"""),
            ProbeJsonContext.Default.Probe,
            "probe");

        var text = JsonSerializer.Serialize(body.Errors.ToDictionary());
        Assert.That(body.Errors.IsEmpty, Is.False);
        Assert.That(text, Does.Not.Contain("JANE").And.Not.Contain("19800101"));
    }

    [Test]
    public void Rule_errors_under_a_field_that_could_not_be_read_are_not_also_reported()
    {
        var errors = new FieldErrors();
        errors.Add("program.startDate", "Must be a date as YYYY-MM-DD.");

        errors.AddRuleErrors(new Dictionary<string, string[]>
        {
            ["program.startDate"] = ["Required."],
            ["program"] = ["Give a start date or session dates."],
            ["program.weeks"] = ["Must be from 1 to 52."],
        });

        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "program.startDate", "program.weeks" }));
    }

    [Test]
    public void Mutated_estimate_requests_are_read_or_explained_and_never_throw()
    {
        var valid = """
            {"program":{"startDate":"2026-03-02","weeks":8,"daysPerWeek":3,"sessionWeekdays":["Mon","Wed","Fri"],"closedDates":["2026-04-03"]},
             "pricing":{"chargePerDay":650.00,"allowedPerDay":400.00},
             "coverage":{"status":"active","network":"in","planYearStart":"01-01","deductible":{"individual":1500,"family":3000},
                         "coinsurancePercent":20,"outOfPocketMax":{"individual":6000},"accumulators":{"deductibleIndividualMet":200,"visitsUsed":3}},
             "range":{"weeks":{"min":8,"max":12},"daysPerWeek":{"min":3,"max":5}}}
            """u8.ToArray();
        var random = new Random(13);
        const string alphabet = "{}[]\",:0123456789.-eEtrufalsn \\abc";
        var explained = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var mutated = new List<byte>(valid);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(mutated.Count);
                switch (random.Next(3))
                {
                    case 0: mutated.RemoveAt(at); break;
                    case 1: mutated.Insert(at, (byte)alphabet[random.Next(alphabet.Length)]); break;
                    default: mutated[at] = (byte)alphabet[random.Next(alphabet.Length)]; break;
                }
            }

            var bytes = mutated.ToArray();
            var body = JsonRequestBody.Read(bytes, EstimatesJsonContext.Default.EstimateRequestDto, "estimate request");
            if (body.Errors.IsEmpty)
            {
                Assert.That(body.Value, Is.EqualTo(JsonSerializer.Deserialize(bytes, EstimatesJsonContext.Default.EstimateRequestDto)).Using<EstimateRequestDto>(SameJson), Encoding.UTF8.GetString(bytes));
            }
            else
            {
                explained++;
                Assert.That(body.Errors.ToDictionary().Values.SelectMany(m => m), Is.All.Not.Empty);
            }
        }

        Assert.That(explained, Is.GreaterThan(1_000), "most mutations break something, and each is explained");
    }

    [Test]
    public void The_verification_contract_is_explained_by_the_same_reader()
    {
        var body = JsonRequestBody.Read(
            """{"patient":{"firstName":"A","lastName":"B","dateOfBirth":"1985-13-40"},"insurance":{"payerId":60054},"program":{"weeks":"eight"}}"""u8,
            VerificationsJsonContext.Default.VerificationRequest,
            "verification request");

        Assert.That(body.Errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "patient.dateOfBirth", "insurance.payerId", "program.weeks" }));
        Assert.That(body.Value?.Patient?.FirstName, Is.EqualTo("A"));
    }

    private static bool SameJson(EstimateRequestDto? a, EstimateRequestDto? b) =>
        JsonSerializer.Serialize(a, EstimatesJsonContext.Default.EstimateRequestDto) == JsonSerializer.Serialize(b, EstimatesJsonContext.Default.EstimateRequestDto);
}

internal enum Choice
{
    First,
    Second,
}

internal sealed record Inner(decimal? Amount);

internal sealed record Probe(string? Name, DateOnly? Start, int? Count, Choice? Choice, IReadOnlyList<int>? Items, Inner? Inner);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false, Converters = [typeof(WireEnumConverter<Choice>)])]
[JsonSerializable(typeof(Probe))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
