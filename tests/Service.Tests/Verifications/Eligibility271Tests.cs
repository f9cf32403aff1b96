using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary><c>POST /api/v1/eligibility/271</c>: the 271s staff receive, read by the same parser and normaliser.</summary>
internal sealed class Eligibility271Tests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    private static string? SharedSamples
    {
        get
        {
            for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "samples", "eligibility");
                if (File.Exists(Path.Combine(dir.FullName, "CoverageCheck.sln")))
                {
                    return Directory.Exists(candidate) ? Path.GetFullPath(candidate) : null;
                }
            }

            return null;
        }
    }

    public static IEnumerable<string> SharedFiles() =>
        SharedSamples is { } folder ? Directory.EnumerateFiles(folder, "*.271").Select(Path.GetFileName).Order()! : ["(no shared samples here)"];

    [TestCaseSource(nameof(SharedFiles))]
    public async Task Every_shared_sample_271_is_read(string file)
    {
        if (SharedSamples is not { } folder)
        {
            Assert.Ignore("../shared/samples/eligibility is not beside this clone; the shared 271 samples run where it exists.");
            return;
        }

        using var client = _host.Client(TestApiKeys.Admissions);
        var text = await File.ReadAllTextAsync(Path.Combine(folder, file));

        using var response = await client.PostAsync("/api/v1/eligibility/271", new StringContent(text, Encoding.UTF8, "text/plain"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToJsonString());
        Assert.That(body["results"]!.AsArray(), Is.Not.Empty);
        Assert.That(body["coverage"] is not null || body["errors"]!.AsArray().Count > 0, Is.True, "either coverage or a rejection");
    }

    [Test]
    public async Task An_envelope_fault_is_a_warning_and_the_content_is_still_read()
    {
        if (SharedSamples is not { } folder)
        {
            Assert.Ignore("../shared/samples/eligibility is not beside this clone.");
            return;
        }

        using var client = _host.Client(TestApiKeys.Finance);
        var text = await File.ReadAllTextAsync(Path.Combine(folder, "lfh-subscriber-health-benefit-check-error-aaa50.271"));

        using var response = await client.PostAsync("/api/v1/eligibility/271", new StringContent(text, Encoding.UTF8, "text/plain"));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body["warnings"]!.AsArray().Select(w => (string?)w), Has.Some.Contains("SE"));
        Assert.That(body["errors"]!.AsArray().Select(e => (string?)e!["code"]), Does.Contain("50"));
    }

    [TestCase("ISA*00*          *00*", TestName = "Truncated ISA")]
    [TestCase("hello, this is not X12", TestName = "Not X12 at all")]
    [TestCase("", TestName = "Empty body")]
    public async Task Unreadable_input_is_a_400_that_says_where(string text)
    {
        using var client = _host.Client(TestApiKeys.Admissions);

        using var response = await client.PostAsync("/api/v1/eligibility/271", new StringContent(text, Encoding.UTF8, "text/plain"));
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That((string?)problem["detail"], Is.Not.Empty);
        Assert.That(problem["errors"]!.AsArray(), Is.Not.Empty);
    }

    [Test]
    public async Task A_segment_level_fault_names_the_segment_and_its_position()
    {
        using var client = _host.Client(TestApiKeys.Admissions);
        const string broken = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261128*1200*^*00501*000000001*0*P*:~"
            + "GS*HB*SENDER*RECEIVER*20261128*1200*1*X*005010X279A1~ST*271*0001*005010X279A1~BHT*0022*11*X*20261128*1200~"
            + "HL*1**20*1~NM1*PR*2*PAYER*****PI*60054~HL*2*1*21*1~NM1*1P*2*PROGRAM*****XX*1234567893~HL*3*2*22*0~"
            + "NM1*IL*1*DOE*JANE****MI*W1~EB*1*IND*30~EB*C*IND*AI*****1500*****Y~SE*X~";

        using var response = await client.PostAsync("/api/v1/eligibility/271", new StringContent(broken, Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();

        // Either read with warnings (the content is there) or refused naming the segment: never a 500.
        Assert.That((int)response.StatusCode, Is.AnyOf(200, 400), text);
        Assert.That(text, Does.Match(@"segment \d+|SE"));
    }
}
