using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Features.Estimates;

namespace CoverageCheck.Service.Tests.Estimates;

/// <summary>
/// The endpoint's one-pass reader must agree with <see cref="EstimateWire"/> on every request it accepts, and accept
/// the requests the website sends; everything else it hands to EstimateWire, which names the bad fields.
/// </summary>
public sealed class EstimateRequestReaderTests
{
    private const int Seed = 20261128;

    public static IEnumerable<TestCaseData> KnownGoodBodies()
    {
        var root = RepositoryRoot();
        foreach (var file in Directory.GetFiles(Path.Combine(root, "tests", "Estimator.Tests", "Cases"), "*.json").Order(StringComparer.Ordinal))
        {
            var request = JsonNode.Parse(File.ReadAllText(file))!["request"]!.ToJsonString();
            yield return new TestCaseData(request).SetArgDisplayNames(Path.GetFileNameWithoutExtension(file));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(root, "samples", "estimates"), "*.json").Order(StringComparer.Ordinal))
        {
            yield return new TestCaseData(File.ReadAllText(file)).SetArgDisplayNames("sample " + Path.GetFileNameWithoutExtension(file));
        }
    }

    [TestCaseSource(nameof(KnownGoodBodies))]
    public void A_reference_request_is_read_in_one_pass_to_what_the_document_reader_reads(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.That(EstimateRequestReader.TryRead(bytes, out var fast), Is.True, "the fast path must take the requests the website sends");
        Assert.That(Canonical(fast!), Is.EqualTo(Canonical(ReadWithDocument(bytes, out var errors))));
        Assert.That(errors.IsEmpty, Is.True);
    }

    [Test]
    public void Random_valid_requests_in_any_member_order_with_nulls_unknown_members_and_odd_spellings_read_alike()
    {
        var random = new Random(Seed);
        var taken = 0;
        for (var i = 0; i < 3000; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(RandomRequest(random));
            var slow = Canonical(ReadWithDocument(bytes, out var errors));
            Assert.That(errors.IsEmpty, Is.True, $"seed {Seed}, request {i}: the generator writes valid requests: {Encoding.UTF8.GetString(bytes)}");
            Assert.That(EstimateRequestReader.TryRead(bytes, out var fast), Is.True, $"seed {Seed}, request {i}: {Encoding.UTF8.GetString(bytes)}");
            Assert.That(Canonical(fast!), Is.EqualTo(slow), $"seed {Seed}, request {i}: {Encoding.UTF8.GetString(bytes)}");
            taken++;
        }

        Assert.That(taken, Is.EqualTo(3000));
    }

    [Test]
    public void A_mutated_request_is_either_given_to_the_document_reader_or_read_exactly_as_it_reads_it()
    {
        // Byte and token mutations of valid requests: most become invalid, some stay valid. Whatever the fast path
        // accepts, the document reader must read without an error and to the same input.
        var random = new Random(Seed + 1);
        int accepted = 0, declined = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Mutate(RandomRequest(random), random);
            var bytes = Encoding.UTF8.GetBytes(text);
            if (!EstimateRequestReader.TryRead(bytes, out var fast))
            {
                declined++;
                continue;
            }

            accepted++;
            var slow = ReadWithDocument(bytes, out var errors);
            Assert.That(errors.IsEmpty, Is.True, $"seed {Seed + 1}, mutation {i}: the fast path took a request the document reader refuses: {text}");
            Assert.That(Canonical(fast!), Is.EqualTo(Canonical(slow)), $"seed {Seed + 1}, mutation {i}: {text}");
        }

        TestContext.Out.WriteLine($"{accepted} mutated requests read in one pass, {declined} handed to the document reader");
        Assert.That(accepted, Is.GreaterThan(1000), "the mutations must leave some valid requests, or this test checks nothing");
        Assert.That(declined, Is.GreaterThan(1000));
    }

    [TestCase("""{"program":{"weeks":12,"daysPerWeek":5},"program":{"weeks":8,"daysPerWeek":3}}""", TestName = "A duplicate member")]
    [TestCase("""{"program":{"weeks":12,"weeks":8,"daysPerWeek":5}}""", TestName = "A duplicate member inside an object")]
    [TestCase("""{"program":{"startDate":"2026\u002D03-02","weeks":12,"daysPerWeek":5}}""", TestName = "An escaped date")]
    [TestCase("""{"program":{"startDate":"2026-3-2","weeks":12,"daysPerWeek":5}}""", TestName = "A date not written YYYY-MM-DD")]
    [TestCase("""{"program":{"weeks":12.0,"daysPerWeek":5}}""", TestName = "A whole number written with a fraction")]
    [TestCase("""{"program":{"weeks":"12","daysPerWeek":5}}""", TestName = "A number in a string")]
    [TestCase("""{"program":null}""", TestName = "A null program")]
    [TestCase("""{"pricing":{}}""", TestName = "No program")]
    [TestCase("""{"program":{},"coverage":{"network":"maybe"}}""", TestName = "An unknown choice")]
    [TestCase("""{"program":{},"range":{"weeks":{"min":8,"max":12}}}""", TestName = "A range without days per week")]
    [TestCase("""{"program":{}} {}""", TestName = "Content after the object")]
    [TestCase("""{"program":{}""", TestName = "Truncated JSON")]
    [TestCase("""[{"program":{}}]""", TestName = "An array at the root")]
    [TestCase("""{"program":{"sessionWeekdays":["Mon","Funday"]}}""", TestName = "An unknown weekday")]
    public void What_the_fast_path_does_not_take_is_left_to_the_document_reader(string body)
    {
        Assert.That(EstimateRequestReader.TryRead(Encoding.UTF8.GetBytes(body), out _), Is.False);
    }

    private static EstimateInput ReadWithDocument(byte[] bytes, out WireErrors errors)
    {
        errors = new WireErrors();
        using var document = JsonDocument.Parse(bytes);
        return EstimateWire.Read(document.RootElement, errors);
    }

    // Records compare lists by reference, so inputs are compared as their reflection-serialised JSON.
    private static string Canonical(EstimateInput input) => JsonSerializer.Serialize(input);

    private static string RandomRequest(Random random)
    {
        var members = new List<string>();
        var program = new List<string>();
        Maybe(program, random, "startDate", Quote(RandomDate(random)));
        if (random.Next(5) == 0)
        {
            var dates = Enumerable.Range(0, random.Next(1, 6)).Select(_ => RandomDate(random)).Distinct().Order(StringComparer.Ordinal);
            program.Add($"\"sessionDates\":[{string.Join(",", dates.Select(Quote))}]");
        }
        else
        {
            Maybe(program, random, "weeks", random.Next(1, 53).ToString(CultureInfo.InvariantCulture));
            Maybe(program, random, "daysPerWeek", random.Next(1, 8).ToString(CultureInfo.InvariantCulture));
            if (random.Next(3) == 0)
            {
                string[] names = ["Mon", "tue", "WED", "Thursday", "friday", "Sat", "Sun"];
                var days = names.OrderBy(_ => random.Next()).Take(random.Next(1, 4));
                program.Add($"\"sessionWeekdays\":[{string.Join(",", days.Select(Quote))}]");
            }
        }

        Maybe(program, random, "closedDates", $"[{string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => Quote(RandomDate(random))))}]");
        members.Add($"\"program\":{Object(program, random)}");

        if (random.Next(4) > 0)
        {
            var pricing = new List<string>();
            Maybe(pricing, random, "chargePerDay", Money(random));
            Maybe(pricing, random, "allowedPerDay", Money(random));
            Maybe(pricing, random, "selfPayPerDay", Money(random));
            Maybe(pricing, random, "selfPayPackagePrice", Money(random));
            members.Add($"\"pricing\":{Object(pricing, random)}");
        }

        switch (random.Next(5))
        {
            case 0:
                members.Add("\"coverage\":null");
                break;
            case 1:
                break;
            default:
                var coverage = new List<string>();
                Maybe(coverage, random, "status", Quote(random.Next(2) == 0 ? "active" : random.Next(2) == 0 ? "Inactive" : "ACTIVE"));
                Maybe(coverage, random, "network", Quote(random.Next(2) == 0 ? "in" : "OUT"));
                Maybe(coverage, random, "planYearStart", Quote(random.Next(2) == 0 ? "01-01" : "07-01"));
                Maybe(coverage, random, "coverageEndDate", Quote(RandomDate(random)));
                var deductible = new List<string>();
                Maybe(deductible, random, "individual", Money(random));
                Maybe(deductible, random, "family", Money(random));
                Maybe(deductible, random, "embedded", random.Next(2) == 0 ? "true" : "false");
                Maybe(deductible, random, "appliesToService", random.Next(2) == 0 ? "true" : "false");
                Maybe(coverage, random, "deductible", Object(deductible, random));
                Maybe(coverage, random, "copayPerDay", Money(random));
                Maybe(coverage, random, "copayCountsTowardOutOfPocket", random.Next(2) == 0 ? "true" : "false");
                Maybe(coverage, random, "coinsurancePercent", random.Next(0, 101).ToString(CultureInfo.InvariantCulture));
                var outOfPocket = new List<string>();
                Maybe(outOfPocket, random, "individual", Money(random));
                Maybe(outOfPocket, random, "family", Money(random));
                Maybe(coverage, random, "outOfPocketMax", Object(outOfPocket, random));
                Maybe(coverage, random, "visitLimitPerPlanYear", random.Next(0, 100).ToString(CultureInfo.InvariantCulture));
                Maybe(coverage, random, "priorAuthorizationRequired", random.Next(2) == 0 ? "true" : "false");
                var met = new List<string>();
                Maybe(met, random, "deductibleIndividualMet", Money(random));
                Maybe(met, random, "deductibleFamilyMet", Money(random));
                Maybe(met, random, "outOfPocketIndividualMet", Money(random));
                Maybe(met, random, "outOfPocketFamilyMet", Money(random));
                Maybe(met, random, "visitsUsed", random.Next(0, 30).ToString(CultureInfo.InvariantCulture));
                Maybe(coverage, random, "accumulators", Object(met, random));
                members.Add($"\"coverage\":{Object(coverage, random)}");
                break;
        }

        if (random.Next(3) == 0)
        {
            var min = random.Next(1, 13);
            members.Add($"\"range\":{{\"weeks\":{{\"min\":{min},\"max\":{min + random.Next(0, 8)}}},\"daysPerWeek\":{{\"max\":{random.Next(3, 8)},\"min\":{random.Next(1, 4)}}}}}");
        }
        else if (random.Next(4) == 0)
        {
            members.Add("\"range\":null");
        }

        return Object(members, random);
    }

    // Adds a member, sometimes as null, sometimes not at all.
    private static void Maybe(List<string> members, Random random, string name, string value)
    {
        switch (random.Next(8))
        {
            case 0:
                break;
            case 1:
                members.Add($"\"{name}\":null");
                break;
            default:
                members.Add($"\"{name}\":{value}");
                break;
        }
    }

    // Members in a random order, with an unknown member now and then and random white space.
    private static string Object(List<string> members, Random random)
    {
        var all = members.ToList();
        if (random.Next(6) == 0)
        {
            all.Add(random.Next(3) switch
            {
                0 => "\"note\":\"from the website\"",
                1 => "\"extra\":{\"nested\":[1,2,{\"deep\":null}],\"flag\":true}",
                _ => "\"Weeks\":\"ignored: names are case-sensitive\"",
            });
        }

        var space = random.Next(3) == 0 ? "\n  " : random.Next(2) == 0 ? " " : "";
        return "{" + space + string.Join("," + space, all.OrderBy(_ => random.Next())) + space + "}";
    }

    private static string Money(Random random) => random.Next(10) switch
    {
        0 => "0",
        1 => $"{random.Next(0, 100)}.{random.Next(0, 10)}e2",
        2 => $"{random.Next(0, 5000)}.{random.Next(0, 100):00}0",
        _ => $"{random.Next(0, 5000)}.{random.Next(0, 100):00}",
    };

    private static string RandomDate(Random random) =>
        new DateOnly(2024, 1, 1).AddDays(random.Next(0, 365 * 4)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(string text) => "\"" + text + "\"";

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToCharArray().ToList();
        for (var n = random.Next(1, 3); n > 0 && chars.Count > 2; n--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(6))
            {
                case 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, "{}[],:\"0-.eEnt \\"[random.Next(15)]);
                    break;
                case 2:
                    (chars[at], chars[(at + 1) % chars.Count]) = (chars[(at + 1) % chars.Count], chars[at]);
                    break;
                case 3:
                    chars[at] = (char)random.Next(32, 127);
                    break;
                case 4:
                    var digits = "0123456789";
                    if (char.IsDigit(chars[at]))
                    {
                        chars[at] = digits[random.Next(10)];
                    }

                    break;
                default:
                    // A scalar value of another kind: valid JSON, often the wrong type for its member.
                    var token = random.Next(6) switch { 0 => "null", 1 => "\"x\"", 2 => "true", 3 => "12", 4 => "{}", _ => "[]" };
                    var current = new string(chars.ToArray());
                    var colon = current.IndexOf(':', random.Next(current.Length));
                    var end = colon < 0 ? -1 : current.IndexOfAny([',', '}', ']'], colon);
                    if (colon > 0 && end > colon && current[(colon + 1)..end].Trim() is { Length: > 0 } value && value[0] is not '{' and not '[')
                    {
                        chars = (current[..(colon + 1)] + token + current[end..]).ToList();
                    }

                    break;
            }
        }

        return new string(chars.ToArray());
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("CoverageCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
