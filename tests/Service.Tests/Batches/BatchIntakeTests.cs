using System.Net;
using System.Text;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Tests.Verifications;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Batches;

/// <summary>Census intake is all or nothing, and an upload retried with its Idempotency-Key returns the first batch.</summary>
internal sealed class BatchIntakeTests
{
    private static string CensusOf(int rows) =>
        Census.Header + "\n" + string.Concat(Enumerable.Range(1, rows).Select(n => Census.Row(n) + "\n"));

    private static async Task<(long Batches, long Verifications, long Consents)> CountAsync(VerificationsHost host)
    {
        await using var connection = await host.Factory.Services.GetRequiredService<IDbConnectionFactory>().OpenAsync(CancellationToken.None);
        return (
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM batches"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM verifications"),
            await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM consents"));
    }

    [Test]
    public async Task An_upload_that_breaks_off_part_way_leaves_nothing_behind_for_a_payer()
    {
        using var host = new VerificationsHost();
        host.Factory.UseKestrel(0); // a real socket: the body arrives as the client sends it
        host.Factory.StartServer();
        using var finance = host.Client(TestApiKeys.Finance);

        // Half of a 4,000-row census arrives (many of the 250-row chunks that used to be queued as they were read),
        // then the client's connection breaks. Over a raw socket, so the bytes reach the service as they are sent.
        var bytes = Encoding.UTF8.GetBytes(CensusOf(4000));
        var server = finance.BaseAddress!;
        using (var tcp = new System.Net.Sockets.TcpClient())
        {
            await tcp.ConnectAsync(server.Host, server.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /api/v1/batches HTTP/1.1\r\nHost: {server.Authority}\r\nX-Api-Key: {TestApiKeys.Finance}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n"));
            for (var sent = 0; sent < bytes.Length / 2; sent += 8 * 1024)
            {
                var piece = bytes.AsMemory(sent, Math.Min(8 * 1024, bytes.Length - sent));
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{piece.Length:X}\r\n"));
                await stream.WriteAsync(piece);
                await stream.WriteAsync("\r\n"u8.ToArray());
                await stream.FlushAsync();
                await Task.Delay(10);
            }

            await Task.Delay(1000);
            tcp.Client.LingerState = new System.Net.Sockets.LingerOption(true, 0); // a reset, as a dropped connection
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.That(await CountAsync(host), Is.EqualTo((0L, 0L, 0L)), "no batch, no queued verification, no consent");
    }

    [Test]
    public async Task The_same_upload_with_the_same_Idempotency_Key_returns_the_first_batch()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        using var finance = host.Client(TestApiKeys.Finance);
        var census = CensusOf(3) + "BAD-1,,NONAME,1980-01-01,60054,W1,,2026-12-07,5,8,,verbal,2026-11-20\n";

        async Task<HttpResponseMessage> PostAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/batches") { Content = new StringContent(census, Encoding.UTF8, "text/csv") };
            request.Headers.Add("Idempotency-Key", key);
            return await finance.SendAsync(request);
        }

        using var first = await PostAsync("census-2026-11-28");
        using var again = await PostAsync("census-2026-11-28");
        var firstBody = await VerificationsHost.ReadAsync(first);
        var againBody = await VerificationsHost.ReadAsync(again);

        Assert.Multiple(async () =>
        {
            Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((string?)againBody["id"], Is.EqualTo((string?)firstBody["id"]));
            Assert.That(again.Headers.Location?.ToString(), Is.EqualTo($"/api/v1/batches/{firstBody["id"]}"));
            Assert.That(((int?)againBody["accepted"], (int?)againBody["rejected"]), Is.EqualTo((3, 1)));
            Assert.That((int?)againBody["errors"]![0]!["line"], Is.EqualTo(5));
            Assert.That(await CountAsync(host), Is.EqualTo((1L, 3L, 3L)), "everyone was queued once");
        });

        using var other = await PostAsync("census-2026-11-29");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), "another key is another batch");
        Assert.That((await CountAsync(host)).Batches, Is.EqualTo(2));
    }
}
