using System.Data.Common;
using System.Threading.Channels;

namespace CoverageCheck.Service.Data;

/// <summary>
/// Runs small writes that may be redone (the worker's claims and outcomes: <see cref="IDbConnectionFactory.OpenAsync"/>
/// durability) several to a transaction on SQLite. SQLite has one write lock per file: at a census batch's pace each
/// verification's outcome was a transaction of its own, and the writers' turns at the lock (and the hand-over from one
/// to the next on a busy thread pool) capped the batch at about 310 verifications a second on two cores, well below
/// the clearinghouse's 400. Here one loop takes whatever writes are waiting (up to <see cref="MaxWritesPerCommit"/>),
/// runs each inside a savepoint of one transaction, commits once, and then answers each caller: a write that throws
/// is rolled back to its savepoint and fails alone; a commit that fails fails every write in it. A caller learns its
/// result only after the commit, exactly as with a transaction of its own.
/// SQL Server locks rows, not the database: there each write runs in its own transaction, as before.
/// </summary>
internal sealed class GroupCommit(IDbConnectionFactory database, ILogger<GroupCommit> logger) : IAsyncDisposable
{
    /// <summary>At most this many writes share a commit (a claim of many rows is one write).</summary>
    internal const int MaxWritesPerCommit = 64;

    private readonly Channel<PendingWrite> _pending = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _starting = new();
    private Task? _loop;

    /// <summary>
    /// Runs <paramref name="write"/> in a write transaction shared with other waiting writes, and returns its result once
    /// that transaction has committed. The write must not commit or roll back the transaction itself.
    /// </summary>
    public Task<T> RunAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        if (database.Dialect != DatabaseProvider.Sqlite)
        {
            return RunAloneAsync(write, cancellationToken);
        }

        var pending = new PendingWrite<T>(write, cancellationToken);
        if (!_pending.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit), "The service is stopping; the write was not started.");
        }

        EnsureStarted();
        return pending.Result;
    }

    private async Task<T> RunAloneAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await Sql.BeginWriteAsync(connection, cancellationToken);
        var result = await write(connection, transaction.Transaction, cancellationToken);
        await transaction.Transaction.CommitAsync(cancellationToken);
        return result;
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _loop) is not null)
        {
            return;
        }

        lock (_starting)
        {
            _loop ??= Task.Run(LoopAsync);
        }
    }

    private async Task LoopAsync()
    {
        var reader = _pending.Reader;
        var batch = new List<PendingWrite>(MaxWritesPerCommit);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxWritesPerCommit && reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                }
                else
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await CommitAsync(batch);
            }
        }
    }

    /// <summary>One transaction for <paramref name="batch"/>; every write in it is answered (result, exception or cancellation).</summary>
    private async Task CommitAsync(List<PendingWrite> batch)
    {
        var ran = new List<PendingWrite>(batch.Count);
        try
        {
            await using var connection = await database.OpenAsync(CancellationToken.None);
            await using var write = await Sql.BeginWriteAsync(connection, CancellationToken.None);
            var transaction = write.Transaction;
            foreach (var pending in batch)
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                    continue;
                }

                await transaction.SaveAsync("write");
                try
                {
                    await pending.RunAsync(connection, transaction);
                    await transaction.ReleaseAsync("write");
                    ran.Add(pending);
                }
                catch (Exception e)
                {
                    // Undo this write only; if even that fails the transaction is unusable, and the catch below fails
                    // what ran before it (nothing of theirs is committed) and everything not yet run.
                    await transaction.RollbackAsync("write");
                    await transaction.ReleaseAsync("write");
                    if (e is OperationCanceledException && pending.CancellationToken.IsCancellationRequested)
                    {
                        pending.Cancel();
                    }
                    else
                    {
                        pending.Fail(e);
                    }
                }
            }

            if (ran.Count > 0)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "A group of {Count} queue writes could not be committed; none of them was written", batch.Count);
            foreach (var pending in batch)
            {
                pending.Fail(e);
            }

            return;
        }

        foreach (var pending in ran)
        {
            pending.Commit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (Volatile.Read(ref _loop) is { } loop)
        {
            await loop;
        }
    }

    private abstract class PendingWrite(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        public abstract Task RunAsync(DbConnection connection, DbTransaction transaction);

        /// <summary>The transaction committed: hand the caller its result.</summary>
        public abstract void Commit();

        /// <summary>Not written: hand the caller the reason (ignored when already answered).</summary>
        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class PendingWrite<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
        : PendingWrite(cancellationToken)
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Result => _result.Task;

        public override async Task RunAsync(DbConnection connection, DbTransaction transaction) =>
            _value = await write(connection, transaction, CancellationToken);

        public override void Commit() => _result.TrySetResult(_value!);

        public override void Fail(Exception exception) => _result.TrySetException(exception);

        public override void Cancel() => _result.TrySetCanceled(CancellationToken);
    }
}
