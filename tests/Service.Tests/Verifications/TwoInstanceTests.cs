using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Tests.Batches;
using CoverageCheck.Service.Tests.Data;
using Dapper;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>
/// Several instances, for real (issue #14): two service processes share one database and work through one 2,000-row
/// census batch, each with its worker and its own built-in sandbox clearinghouse. One is SIGKILLed mid-batch; the
/// other takes its leased items over when their (short) leases expire. Every row is finished once, none twice, none
/// lost. Who finished what is read from <c>verification_attempts</c> (the worker ID names the process).
/// </summary>
internal sealed class TwoInstanceTests
{
    private const int Rows = 2_000;

    [Test]
    public Task Two_processes_on_one_SQLite_file_finish_a_2000_row_batch_once_each_and_survive_a_SIGKILL() =>
        RunAsync(TestDatabase.CreateSqliteAsync);

    [Test]
    public async Task Two_processes_on_one_SQL_Server_database_finish_a_2000_row_batch_once_each_and_survive_a_SIGKILL()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabase.SqlServerVariable)))
        {
            Assert.Ignore($"{TestDatabase.SqlServerVariable} is not set: no SQL Server to run against (the SQLite run covers the same path).");
        }

        await RunAsync(async () => (await TestDatabase.CreateSqlServerAsync())!);
    }

    private static async Task RunAsync(Func<Task<TestDatabase>> createDatabase)
    {
        await using var database = await createDatabase();
        using var data = new TempFolder("two-instances");
        TestHostSettings Settings() => new TestHostSettings(data.Path).Set(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Database.Dialect.ToString(),
            ["ConnectionStrings:CoverageCheck"] = database.Database.ConnectionString,

            // Short leases, so the survivor takes the killed instance's items over within seconds.
            ["Verification:LeaseDuration"] = "00:00:06",
            ["Verification:RealTimeBudget"] = "00:00:02",
            ["Verification:WorkerConcurrency"] = "8",
            ["Verification:PerPayerConcurrency"] = "8",
            ["Verification:MaxAttempts"] = "50",
            ["Verification:GiveUpAfter"] = null, // the default 24 h: a slow moment on a loaded machine must not end a row

            // A payer round trip of 40 ms keeps the batch running long enough to kill an instance in the middle of it.
            ["Sandbox:LatencyMs"] = "40",
        });

        var wall = Stopwatch.StartNew();
        await using var first = await ServiceProcess.StartAsync(Settings(), TimeSpan.FromSeconds(90));
        await using var second = await ServiceProcess.StartAsync(Settings(), TimeSpan.FromSeconds(90));
        using var viaFirst = first.Client(TestApiKeys.Finance);
        using var viaSecond = second.Client(TestApiKeys.Finance);

        using var post = await viaFirst.PostAsync("/api/v1/batches", new StringContent(SandboxCensus.Build(Rows), Encoding.UTF8, "text/csv"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await post.Content.ReadAsStringAsync());
        var batchLocation = post.Headers.Location!.ToString();
        var batchId = Guid.Parse(batchLocation.Split('/')[^1], CultureInfo.InvariantCulture);

        // Mid-batch: once a quarter of the rows are done, SIGKILL the first instance, with its leases outstanding.
        var progress = await WaitForAsync(viaSecond, batchLocation, c => Done(c) >= Rows / 4, TimeSpan.FromSeconds(120));
        await first.KillAsync();
        var doneAtKill = Done(progress);
        var leasedAtKill = await LeasedByAsync(database.Database, batchId, first.ProcessId);

        var final = await WaitForAsync(viaSecond, batchLocation, c => Done(c) >= Rows, TimeSpan.FromSeconds(150));

        await using var connection = await database.Database.OpenAsync(CancellationToken.None);
        var statuses = (await connection.QueryAsync<(string Status, int Count)>(new CommandDefinition("""
            SELECT v.status, COUNT(*) FROM batch_rows r JOIN verifications v ON v.id = r.verification_id
            WHERE r.batch_id = @batchId GROUP BY v.status
            """, new { batchId }))).ToDictionary(r => r.Status, r => r.Count);
        var finishes = (await connection.QueryAsync<(string WorkerId, Guid VerificationId)>(new CommandDefinition("""
            SELECT a.worker_id, a.verification_id FROM verification_attempts a JOIN verifications v ON v.id = a.verification_id
            WHERE v.batch_id = @batchId AND a.outcome = 'completed'
            """, new { batchId }))).ToList();
        var takenOver = await connection.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT COUNT(*) FROM verifications WHERE batch_id = @batchId AND status = 'completed' AND attempts > 1
            """, new { batchId }));

        var byFirst = finishes.Count(f => IsOf(f.WorkerId, first.ProcessId));
        var bySecond = finishes.Count(f => IsOf(f.WorkerId, second.ProcessId));
        var duplicates = finishes.GroupBy(f => f.VerificationId).Count(g => g.Count() > 1);
        var completed = statuses.GetValueOrDefault("completed");
        var lost = Rows - finishes.Select(f => f.VerificationId).Distinct().Count();
        TestContext.Out.WriteLine(
            $"Two instances, {database.Database.Dialect}: {Rows:N0} rows; first (pid {first.ProcessId}) finished {byFirst:N0} and was SIGKILLed at " +
            $"{doneAtKill:N0} done with {leasedAtKill} leased; second (pid {second.ProcessId}) finished {bySecond:N0}, {takenOver} of them after another claim; " +
            $"duplicates {duplicates}, lost {lost}; statuses {string.Join(", ", statuses.Select(s => $"{s.Key} {s.Value}"))}; wall {wall.Elapsed.TotalSeconds:N1} s");

        Assert.That((int?)final["counts"]!["completed"], Is.EqualTo(Rows), "the batch says every row is done");
        Assert.That(completed, Is.EqualTo(Rows), "every row's verification is completed");
        Assert.That(duplicates, Is.Zero, "no verification was finished twice");
        Assert.That(lost, Is.Zero, "every verification was finished by one of the instances");
        Assert.That(byFirst + bySecond, Is.EqualTo(Rows));
        Assert.That(byFirst, Is.GreaterThan(0), "both instances worked on the batch");
        Assert.That(bySecond, Is.GreaterThan(0), "both instances worked on the batch");
        Assert.That(takenOver, Is.GreaterThanOrEqualTo(leasedAtKill), "what the killed instance held was taken over");
    }

    private static bool IsOf(string workerId, int processId) =>
        workerId.Contains(string.Create(CultureInfo.InvariantCulture, $":{processId}:"), StringComparison.Ordinal);

    private static int Done(JsonObject batch)
    {
        var counts = batch["counts"]!;
        return ((int?)counts["completed"] ?? 0) + ((int?)counts["needs-review"] ?? 0) + ((int?)counts["failed"] ?? 0);
    }

    private static async Task<int> LeasedByAsync(IDbConnectionFactory database, Guid batchId, int processId)
    {
        await using var connection = await database.OpenAsync(CancellationToken.None);
        var owners = await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT lease_owner FROM verifications WHERE batch_id = @batchId AND status = 'in-progress' AND lease_owner IS NOT NULL
            """, new { batchId }));
        return owners.Count(owner => IsOf(owner, processId));
    }

    private static async Task<JsonObject> WaitForAsync(HttpClient client, string batch, Func<JsonObject, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        JsonObject state;
        do
        {
            using var response = await client.GetAsync(batch);
            state = await VerificationsHost.ReadAsync(response);
            if (condition(state))
            {
                return state;
            }

            await Task.Delay(250);
        }
        while (clock.Elapsed < timeout);

        Assert.Fail($"The batch did not get there within {timeout}: {state.ToJsonString()}");
        return state;
    }
}
