using System.Diagnostics;
using CoverageCheck.Service.Data;
using Microsoft.Data.Sqlite;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>SQLite writers of one process take turns on an async gate per database file (<see cref="Sql.BeginWriteAsync"/>).</summary>
internal sealed class SqliteWriteGateTests
{
    private TempFolder _folder = null!;
    private string _path = null!;

    [SetUp]
    public void CreateFile()
    {
        _folder = new TempFolder("gate");
        _path = _folder.Combine("gate.db");
    }

    [TearDown]
    public void DeleteFile()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private async Task<SqliteConnection> OpenAsync(int timeoutSeconds = 30)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, DefaultTimeout = timeoutSeconds }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    [Test]
    public async Task A_second_writer_waits_without_a_thread_and_starts_when_the_first_ends()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        var firstWrite = await Sql.BeginWriteAsync(first, CancellationToken.None);

        var secondWrite = Sql.BeginWriteAsync(second, CancellationToken.None);
        await Task.Delay(200);
        Assert.That(secondWrite.IsCompleted, Is.False, "the second writer waits for its turn");

        await firstWrite.DisposeAsync();
        await using var started = await secondWrite.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(started.Transaction.Connection, Is.SameAs(second));
    }

    [Test]
    public async Task A_writer_that_never_lets_go_fails_the_next_one_after_the_command_timeout()
    {
        await using var holder = await OpenAsync();
        await using var waiter = await OpenAsync(timeoutSeconds: 1);
        await using var held = await Sql.BeginWriteAsync(holder, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<TimeoutException>(async () => await Sql.BeginWriteAsync(waiter, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("busy"));
        Assert.That(clock.Elapsed, Is.GreaterThan(TimeSpan.FromMilliseconds(900)).And.LessThan(TimeSpan.FromSeconds(10)));
    }
}
