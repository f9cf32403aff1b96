using System.Net;
using System.Text;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>The "Who may do what" table of http-api.md, endpoint by endpoint, caller by caller.</summary>
internal sealed class AccessMatrixTests
{
    private VerificationsHost _host = null!;

    [OneTimeSetUp]
    public void Start() => _host = new VerificationsHost();

    [OneTimeTearDown]
    public void Stop() => _host.Dispose();

    public enum Caller
    {
        Anonymous,
        Website,
        Admissions,
        Finance,
    }

    private const int Allowed = 0;

    private static readonly string EstimateBody = """{"program":{"startDate":"2026-03-02","weeks":8,"daysPerWeek":5},"pricing":{"chargePerDay":450}}""";

    // endpoint, caller, expected (Allowed: anything but 401/403).
    [TestCase("POST", "/api/v1/estimates", Caller.Anonymous, Allowed)]
    [TestCase("POST", "/api/v1/estimates", Caller.Website, Allowed)]
    [TestCase("POST", "/api/v1/estimates", Caller.Admissions, Allowed)]
    [TestCase("POST", "/api/v1/estimates", Caller.Finance, Allowed)]
    [TestCase("POST", "/api/v1/verifications", Caller.Anonymous, 401)]
    [TestCase("POST", "/api/v1/verifications", Caller.Website, 403)]
    [TestCase("POST", "/api/v1/verifications", Caller.Admissions, Allowed)]
    [TestCase("POST", "/api/v1/verifications", Caller.Finance, 403)]
    [TestCase("GET", "/api/v1/verifications/01937a4e-0000-7000-8000-000000000000", Caller.Anonymous, 401)]
    [TestCase("GET", "/api/v1/verifications/01937a4e-0000-7000-8000-000000000000", Caller.Website, 403)]
    [TestCase("GET", "/api/v1/verifications/01937a4e-0000-7000-8000-000000000000", Caller.Admissions, Allowed)]
    [TestCase("GET", "/api/v1/verifications/01937a4e-0000-7000-8000-000000000000", Caller.Finance, Allowed)]
    [TestCase("GET", "/api/v1/verifications?status=queued", Caller.Anonymous, 401)]
    [TestCase("GET", "/api/v1/verifications?status=queued", Caller.Website, 403)]
    [TestCase("GET", "/api/v1/verifications?status=queued", Caller.Admissions, Allowed)]
    [TestCase("GET", "/api/v1/verifications?status=queued", Caller.Finance, Allowed)]
    [TestCase("POST", "/api/v1/eligibility/271", Caller.Anonymous, 401)]
    [TestCase("POST", "/api/v1/eligibility/271", Caller.Website, 403)]
    [TestCase("POST", "/api/v1/eligibility/271", Caller.Admissions, Allowed)]
    [TestCase("POST", "/api/v1/eligibility/271", Caller.Finance, Allowed)]
    public async Task The_table_holds(string method, string path, Caller caller, int expected)
    {
        using var client = _host.Client(caller switch
        {
            Caller.Website => TestApiKeys.Website,
            Caller.Admissions => TestApiKeys.Admissions,
            Caller.Finance => TestApiKeys.Finance,
            _ => null,
        });
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = path.EndsWith("/271", StringComparison.Ordinal)
                ? new StringContent("ISA*00*", Encoding.UTF8, "text/plain")
                : new StringContent(path.Contains("estimates", StringComparison.Ordinal) ? EstimateBody : "{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);

        if (expected == Allowed)
        {
            Assert.That((int)response.StatusCode, Is.Not.EqualTo(401).And.Not.EqualTo(403).And.LessThan(500));
        }
        else
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(expected));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
    }

    [Test]
    public async Task A_wrong_key_is_401_not_anonymous()
    {
        using var client = _host.Client("not-a-key-anyone-was-given");

        using var response = await client.GetAsync("/api/v1/verifications");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
