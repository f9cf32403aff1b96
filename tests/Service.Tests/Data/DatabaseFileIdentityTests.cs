using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Tests.Verifications;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>
/// #14: a database file deleted or replaced under the running service. Before, writes answered 201 into the unlinked
/// file and readiness said Healthy, and everything was gone at restart; now readiness fails and writes answer 503.
/// </summary>
internal sealed class DatabaseFileIdentityTests
{
    [TestCase(false, TestName = "A_deleted_database_file_fails_readiness_and_writes_answer_503")]
    [TestCase(true, TestName = "A_replaced_database_file_fails_readiness_and_writes_answer_503")]
    public async Task The_file_is_still_the_one_opened(bool replace)
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Ignore("Windows does not let an open database file be deleted.");
            return;
        }

        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        using var client = host.Client(TestApiKeys.Admissions);
        using (var first = await client.PostAsJsonAsync("/api/v1/verifications", VerificationsApiTests.PpoMember))
        {
            Assert.That((int)first.StatusCode, Is.AnyOf(201, 202));
        }

        using (var ready = await client.GetAsync("/health/ready"))
        {
            Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK), "healthy before");
        }

        var database = Path.Combine(host.DataDirectory, DatabaseExtensions.DefaultSqliteFileName);
        if (replace)
        {
            var copy = database + ".copy";
            File.Copy(database, copy);
            File.Move(copy, database, overwrite: true);
        }
        else
        {
            File.Delete(database);
        }

        using var readiness = await client.GetAsync("/health/ready");
        using var write = await client.PostAsJsonAsync("/api/v1/verifications",
            VerificationsApiTests.Request("AVA", "PPOSAMPLE", "1985-04-12", "60054", "W100000002"));
        var problem = JsonNode.Parse(await write.Content.ReadAsStringAsync());

        Assert.That(readiness.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), "readiness");
        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), problem?.ToJsonString());
        Assert.That(write.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(File.Exists(database), Is.EqualTo(replace), "a deleted file is not silently re-created empty");
    }
}
