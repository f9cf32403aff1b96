using System.Collections.Concurrent;
using System.Data.Common;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Verifications;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>
/// #14: accepting work commits with <c>synchronous = FULL</c> (durable through a power loss); what the worker can redo
/// stays on NORMAL. The factory below passes the real connections through and notes the pragma each one carried.
/// </summary>
internal sealed class DurableIntakeTests
{
    [Test]
    public async Task The_factory_opens_normal_and_durable_connections()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await using (var normal = await db.Database.OpenAsync(default))
        {
            Assert.That(await normal.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(1), "NORMAL");
        }

        await using (var durable = await db.Database.OpenDurableAsync(default))
        {
            Assert.That(await durable.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "FULL");
        }

        await using var pooledAgain = await db.Database.OpenAsync(default);
        Assert.That(await pooledAgain.ExecuteScalarAsync<long>("PRAGMA synchronous"), Is.EqualTo(1), "a pooled connection goes back to NORMAL");
    }

    [Test]
    public async Task Verification_and_batch_intake_commit_on_full_and_the_worker_stays_on_normal()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var recording = new RecordingFactory(db.Database);
        var store = new VerificationStore(recording, db.Phi, db.Clock, NullLogger<VerificationStore>.Instance);
        await using var writes = new GroupCommit(recording, NullLogger<GroupCommit>.Instance);
        var queue = new VerificationQueue(recording, writes, store, db.Phi, db.Clock, NullLogger<VerificationQueue>.Instance);
        var batches = new BatchStore(recording, db.Phi);

        await store.InsertAsync(TestPatients.Jane.ToNew("durable-1"), TestPatients.Admissions, default);
        Assert.That(recording.Take(), Is.All.EqualTo(2L), "real-time intake");

        await store.InsertQueuedAsync([TestPatients.Numbered(1).ToNew()], TestPatients.Admissions, default);
        Assert.That(recording.Take(), Is.All.EqualTo(2L), "queued intake");

        var batch = await batches.CreateAsync(Guid.CreateVersion7(), TestPatients.Admissions, db.Clock.GetUtcNow(), default);
        await batches.AddRowsAsync(batch.Id, [new BatchRowEntry(2, "P-1", null, "missing-value", "member_id is missing.")], default);
        await batches.MarkRunningAsync(batch.Id, 1, default);
        Assert.That(recording.Take(), Is.All.EqualTo(2L), "batch intake");

        await queue.ClaimAsync("worker-a", db.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 10, default);
        Assert.That(recording.Take(), Is.All.EqualTo(1L), "the worker's claim can be redone: NORMAL");
    }

    private sealed class RecordingFactory(Database inner) : IDbConnectionFactory
    {
        private readonly ConcurrentQueue<long> _seen = new();

        public DatabaseProvider Dialect => inner.Dialect;

        public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await Note(await inner.OpenAsync(cancellationToken));

        public async Task<DbConnection> OpenDurableAsync(CancellationToken cancellationToken) => await Note(await inner.OpenDurableAsync(cancellationToken));

        public long[] Take()
        {
            var taken = new List<long>();
            while (_seen.TryDequeue(out var value))
            {
                taken.Add(value);
            }

            Assert.That(taken, Is.Not.Empty, "a connection was opened");
            return [.. taken];
        }

        private async Task<DbConnection> Note(DbConnection connection)
        {
            _seen.Enqueue(await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"));
            return connection;
        }
    }
}
