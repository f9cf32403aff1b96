using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>#14: bodies over an endpoint's limit get 413 problem details, answers stay small, text fields are bounded.</summary>
internal sealed class BodyLimitTests
{
    [Test]
    public async Task A_271_of_nothing_but_bad_segments_answers_with_a_capped_list_of_warnings()
    {
        using var app = new ServiceApplication();
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient(TestApiKeys.Admissions);
        var body = new StringBuilder(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "..", "Clients.Tests", "Fixtures", "ppo-deductible-coinsurance.271")));
        var junk = string.Concat(Enumerable.Repeat("ZZ~", 1_000_000)); // 3 MB
        body.Insert(body.ToString().IndexOf("SE*", StringComparison.Ordinal), junk);

        using var response = await client.PostAsync("/api/v1/eligibility/271", new StringContent(body.ToString(), Encoding.UTF8, "text/plain"));
        var text = await response.Content.ReadAsStringAsync();

        TestContext.Out.WriteLine($"{body.Length} characters of 271 answered {(int)response.StatusCode} with {text.Length} characters");
        Assert.That((int)response.StatusCode, Is.AnyOf(200, 400), text.Length > 500 ? text[..500] : text);
        Assert.That(text.Length, Is.LessThan(256 * 1024), "the answer stays small");
        var answer = JsonNode.Parse(text)!;
        var warnings = answer["warnings"]!.AsArray();
        Assert.That(warnings, Has.Count.LessThanOrEqualTo(101));
        Assert.That((string?)warnings[^1], Does.Match(@"^\d+ more warnings? (were|was) left out"));
    }

    [TestCase("/api/v1/batches", "text/csv", TestApiKeys.Finance, TestName = "A_census_over_the_limit_is_413_problem_details_never_500")]
    [TestCase("/api/v1/eligibility/271", "text/plain", TestApiKeys.Admissions, TestName = "A_271_over_the_limit_is_413_problem_details_never_500")]
    [TestCase("/api/v1/verifications", "application/json", TestApiKeys.Admissions, TestName = "A_verification_request_over_the_limit_is_413_problem_details_never_500")]
    public async Task A_body_over_the_limit_is_413_problem_details_never_500(string path, string contentType, string key)
    {
        using var app = new ServiceApplication(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        app.UseKestrel(0);
        app.StartServer();
        using var probe = app.CreateClient();

        // Sent chunked, without a Content-Length, so the endpoint finds out while reading; over a raw socket, because
        // the server answers before the body is all sent and HttpClient would only report the broken pipe.
        // A census is a real one, row after row, so that nothing but its size is wrong.
        var lines = path.EndsWith("batches", StringComparison.Ordinal)
            ? string.Concat(Enumerable.Range(1, 700).Select(n => Batches.Census.Row(n) + "\n"))
            : new string('x', 64 * 1024);
        var (status, head, body) = await RawChunkedPostAsync(probe.BaseAddress!, path, contentType, key,
            path.EndsWith("batches", StringComparison.Ordinal) ? Batches.Census.Header + "\n" : "", lines, 32L * 1024 * 1024);

        Assert.That(status, Is.EqualTo(413), head + body);
        Assert.That(head, Does.Contain("application/problem+json"));
        Assert.That(body, Does.Contain("\"status\":413"));
    }

    [Test]
    public async Task Every_text_field_of_a_verification_request_has_a_length_limit_named_in_the_400()
    {
        using var app = new ServiceApplication();
        using var client = app.CreateClient(TestApiKeys.Admissions);
        var request = new
        {
            patient = new { firstName = new string('A', 36), lastName = new string('B', 61), dateOfBirth = "1985-04-12" },
            insurance = new { payerId = new string('1', 81), memberId = new string('W', 81), groupNumber = new string('G', 51) },
            consent = new { obtained = true, method = new string('v', 5000) },
        };

        using var response = await client.PostAsJsonAsync("/api/v1/verifications", request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var fields = body["errors"]!.AsObject().Select(p => p.Key).ToList();
        Assert.That(fields, Is.SupersetOf(new[]
        {
            "patient.firstName", "patient.lastName", "insurance.payerId", "insurance.memberId", "insurance.groupNumber", "consent.method",
        }));
        Assert.That(body.ToJsonString(), Does.Not.Contain("AAAAAAAAAA").And.Not.Contain("vvvvvvvvvv"), "values are never echoed");
    }

    private static async Task<(int Status, string Head, string Body)> RawChunkedPostAsync(
        Uri server, string path, string contentType, string key, string first, string repeated, long length)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nX-Api-Key: {key}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var sending = Task.Run(async () =>
        {
            var chunk = Encoding.UTF8.GetBytes(repeated);
            var prefix = Encoding.ASCII.GetBytes($"{chunk.Length:X}\r\n");
            try
            {
                if (first.Length > 0)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{first.Length:X}\r\n{first}\r\n"));
                }

                for (long sent = 0; sent < length; sent += chunk.Length)
                {
                    await stream.WriteAsync(prefix);
                    await stream.WriteAsync(chunk);
                    await stream.WriteAsync("\r\n"u8.ToArray());
                }

                await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The server answered and closed, or the reader below closed the socket once it had the answer: expected.
            }
        });

        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(received.ToArray());
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal) && text.Contains("}", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Reset after the answer.
        }

        tcp.Close();
        await sending;
        var all = Encoding.UTF8.GetString(received.ToArray());
        var split = all.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var status = all.Length > 12 ? int.Parse(all.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture) : 0;
        return (status, split < 0 ? all : all[..split], split < 0 ? "" : all[(split + 4)..]);
    }
}
