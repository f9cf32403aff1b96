using System.Data.Common;
using CoverageCheck.Service.Data;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>The worker's claims and outcomes share SQLite commits (GroupCommit), each still answered on its own.</summary>
internal sealed class GroupCommitTests
{
    [Test(Description = "Issue 19")]
    public async Task Writes_waiting_for_the_lock_share_one_commit_and_each_gets_its_own_result()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await CreateTableAsync(db);
        var counting = new CountingFactory(db.Database);
        await using var writes = new GroupCommit(counting, NullLogger<GroupCommit>.Instance);

        // Another writer holds SQLite's write lock while 50 writes arrive, as the worker's outcomes do behind a claim.
        Task<int>[] pending;
        await using (var holder = await db.Database.OpenAsync(default))
        await using (var held = await Sql.BeginWriteAsync(holder, default))
        {
            pending = [.. Enumerable.Range(1, 50).Select(i => writes.RunAsync((connection, transaction, _) => InsertAsync(connection, transaction, i), default))];
            await Task.Delay(200);
            Assert.That(pending.Any(task => task.IsCompleted), Is.False, "nothing is answered before it is committed");
            await held.Transaction.CommitAsync();
        }

        var results = await Task.WhenAll(pending);

        Assert.That(results, Is.EqualTo(Enumerable.Range(1, 50).Select(i => i * 10)), "each caller gets its own write's result");
        Assert.That(await CountAsync(db), Is.EqualTo(50));
        Assert.That(counting.Opened, Is.InRange(1, 2), "50 writes in one or two transactions, not 50");
    }

    [Test]
    public async Task A_write_that_fails_is_rolled_back_alone()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await CreateTableAsync(db);
        await using var writes = new GroupCommit(db.Database, NullLogger<GroupCommit>.Instance);

        Task<int> first, failing, last;
        await using (var holder = await db.Database.OpenAsync(default))
        await using (var held = await Sql.BeginWriteAsync(holder, default))
        {
            first = writes.RunAsync((connection, transaction, _) => InsertAsync(connection, transaction, 1), default);
            failing = writes.RunAsync<int>(async (connection, transaction, _) =>
            {
                await InsertAsync(connection, transaction, 2);
                throw new InvalidOperationException("this write breaks after its insert");
            }, default);
            last = writes.RunAsync((connection, transaction, _) => InsertAsync(connection, transaction, 3), default);
            await held.Transaction.CommitAsync();
        }

        Assert.That(await first, Is.EqualTo(10));
        Assert.ThrowsAsync<InvalidOperationException>(async () => await failing);
        Assert.That(await last, Is.EqualTo(30));
        await using var connection = await db.Database.OpenAsync(default);
        Assert.That(await connection.QueryAsync<int>("SELECT n FROM group_commit_test ORDER BY n"), Is.EqualTo(new[] { 1, 3 }), "the failed write's insert is undone, the others kept");
    }

    [Test]
    public async Task A_write_whose_caller_gave_up_before_its_turn_is_not_run()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        await CreateTableAsync(db);
        await using var writes = new GroupCommit(db.Database, NullLogger<GroupCommit>.Instance);
        using var cancel = new CancellationTokenSource();

        Task<int> opener, abandoned, kept;
        await using (var holder = await db.Database.OpenAsync(default))
        await using (var held = await Sql.BeginWriteAsync(holder, default))
        {
            // The first write takes the loop to the lock, where it waits; the next two queue behind it.
            opener = writes.RunAsync((connection, transaction, _) => InsertAsync(connection, transaction, 1), default);
            await Task.Delay(100);
            abandoned = writes.RunAsync((connection, transaction, _) => InsertAsync(connection, transaction, 2), cancel.Token);
            kept = writes.RunAsync((connection, transaction, _) => InsertAsync(connection, transaction, 3), default);
            await cancel.CancelAsync();
            await held.Transaction.CommitAsync();
        }

        Assert.That(await opener, Is.EqualTo(10));

        Assert.ThrowsAsync<TaskCanceledException>(async () => await abandoned);
        Assert.That(await kept, Is.EqualTo(30));
        await using var connection = await db.Database.OpenAsync(default);
        Assert.That(await connection.QueryAsync<int>("SELECT n FROM group_commit_test ORDER BY n"), Is.EqualTo(new[] { 1, 3 }));
    }

    private static async Task CreateTableAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync(default);
        await connection.ExecuteAsync("CREATE TABLE group_commit_test (n INTEGER NOT NULL PRIMARY KEY)");
    }

    private static async Task<int> InsertAsync(DbConnection connection, DbTransaction transaction, int n)
    {
        await connection.ExecuteAsync("INSERT INTO group_commit_test (n) VALUES (@n)", new { n }, transaction);
        return n * 10;
    }

    private static async Task<long> CountAsync(TestDatabase db)
    {
        await using var connection = await db.Database.OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM group_commit_test");
    }

    private sealed class CountingFactory(Database inner) : IDbConnectionFactory
    {
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public DatabaseProvider Dialect => inner.Dialect;

        public Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _opened);
            return inner.OpenAsync(cancellationToken);
        }
    }
}
