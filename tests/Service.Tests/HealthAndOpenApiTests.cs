using System.Net;
using System.Text.Json;

namespace CoverageCheck.Service.Tests;

internal sealed class HealthAndOpenApiTests
{
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ServiceApplication();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [TestCase("/health/live")]
    [TestCase("/health/ready")]
    public async Task Health_endpoints_answer_200_once_started(string path)
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task OpenApi_document_is_served_as_openapi_3()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.That(document.RootElement.GetProperty("openapi").GetString(), Does.StartWith("3."));
    }

    [Test]
    public async Task Unknown_path_answers_problem_details()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/api/v1/nothing-here");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }
}
