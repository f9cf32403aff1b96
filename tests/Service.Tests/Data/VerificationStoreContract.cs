using System.Data.Common;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>
/// What every storage dialect must do. Runs against SQLite always and against SQL Server when
/// COVERAGECHECK_SQLSERVER holds a connection string.
/// </summary>
internal abstract class VerificationStoreContract
{
    private TestDatabase _db = null!;

    protected VerificationStore Store => _db.Store;

    protected VerificationQueue Queue => _db.Queue;

    protected abstract Task<TestDatabase?> CreateDatabaseAsync();

    [SetUp]
    public async Task CreateDatabase()
    {
        _db = await CreateDatabaseAsync()
            ?? throw new InconclusiveException("No database for this dialect.");
    }

    [TearDown]
    public async Task DropDatabase()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    [Test]
    public async Task Insert_then_get_returns_the_decrypted_payload_and_stored_fields()
    {
        var jane = TestPatients.Jane;

        var inserted = await Store.InsertAsync(jane.ToNew(programEnd: new DateOnly(2027, 1, 29)), TestPatients.Admissions, default);
        var read = await Store.GetAsync(inserted.Record.Id, TestPatients.Admissions, default);

        Assert.That(inserted.Created, Is.True);
        Assert.That(read, Is.Not.Null);
        Assert.That(read!.PayloadJson, Is.EqualTo(jane.PayloadJson));
        Assert.That(read.ResultJson, Is.Null);
        Assert.That(read.Status, Is.EqualTo(VerificationStatus.Queued));
        Assert.That(read.PayerId, Is.EqualTo("60054"));
        Assert.That(read.CreatedBy, Is.EqualTo(TestPatients.Actor));
        Assert.That(read.CreatedAt, Is.EqualTo(_db.Clock.GetUtcNow()));
        Assert.That(read.NextAttemptAt, Is.EqualTo(_db.Clock.GetUtcNow()));
        Assert.That(read.ProgramEnd, Is.EqualTo(new DateOnly(2027, 1, 29)));
        Assert.That(read.Attempts, Is.Zero);
        Assert.That(read.Version, Is.EqualTo(1));
        Assert.That(read.MemberKey, Is.EqualTo(_db.Phi.MemberKey("60054", jane.MemberId)));
    }

    [Test]
    public async Task Get_of_an_unknown_id_is_null_and_audits_nothing()
    {
        var id = Guid.NewGuid();

        var read = await Store.GetAsync(id, TestPatients.Admissions, default);

        Assert.That(read, Is.Null);
        Assert.That(await _db.Audit.ListForRecordAsync(AuditRecordTypes.Verification, id.ToString(), default), Is.Empty);
    }

    [Test]
    public async Task The_same_idempotency_key_from_the_same_caller_returns_the_first_record()
    {
        var first = await Store.InsertAsync(TestPatients.Jane.ToNew("key-1"), TestPatients.Admissions, default);
        _db.Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await Store.InsertAsync(TestPatients.Numbered(7).ToNew("key-1"), TestPatients.Admissions, default);

        Assert.That(again.Created, Is.False);
        Assert.That(again.Record.Id, Is.EqualTo(first.Record.Id));
        Assert.That(again.Record.PayloadJson, Is.EqualTo(TestPatients.Jane.PayloadJson));
        Assert.That((await Store.ListAsync(new VerificationQuery(), default)).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task An_idempotency_key_is_scoped_to_its_caller()
    {
        var other = new AccessContext("another-client", "admissions", "verify coverage");

        var mine = await Store.InsertAsync(TestPatients.Jane.ToNew("shared-key"), TestPatients.Admissions, default);
        var theirs = await Store.InsertAsync(TestPatients.Jane.ToNew("shared-key"), other, default);

        Assert.That(theirs.Created, Is.True);
        Assert.That(theirs.Record.Id, Is.Not.EqualTo(mine.Record.Id));
    }

    [Test]
    public async Task Concurrent_inserts_with_one_idempotency_key_store_one_verification()
    {
        var attempts = Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => Store.InsertAsync(TestPatients.Jane.ToNew("race"), TestPatients.Admissions, default)));

        var results = await Task.WhenAll(attempts);

        Assert.That(results.Select(r => r.Record.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(results.Count(r => r.Created), Is.EqualTo(1));
        Assert.That((await Store.ListAsync(new VerificationQuery(), default)).Items, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task List_pages_newest_first_without_gaps_or_repeats()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            ids.Add((await Store.InsertAsync(TestPatients.Numbered(i).ToNew(), TestPatients.Admissions, default)).Record.Id);
            if (i % 3 != 0)
            {
                _db.Clock.Advance(TimeSpan.FromSeconds(1)); // some share a timestamp: the id breaks the tie
            }
        }

        var seen = new List<VerificationSummary>();
        VerificationCursor? cursor = null;
        do
        {
            var page = await Store.ListAsync(new VerificationQuery { Limit = 5, Before = cursor }, default);
            Assert.That(page.Items, Has.Count.LessThanOrEqualTo(5));
            seen.AddRange(page.Items);
            cursor = page.Next is null ? null : VerificationCursor.TryParse(page.Next.ToString(), out var parsed) ? parsed : throw new AssertionException("cursor did not round-trip");
        }
        while (cursor is not null);

        Assert.That(seen.Select(s => s.Id), Is.EquivalentTo(ids));
        Assert.That(seen.Select(s => s.Id).Distinct().Count(), Is.EqualTo(ids.Count));
        Assert.That(seen.Select(s => s.CreatedAt), Is.Ordered.Descending);
    }

    [Test]
    public async Task List_filters_by_status_payer_caller_and_time()
    {
        var early = await Store.InsertAsync(TestPatients.Numbered(0).ToNew(), TestPatients.Admissions, default); // payer 60054
        _db.Clock.Advance(TimeSpan.FromHours(1));
        var since = _db.Clock.GetUtcNow();
        var late = await Store.InsertAsync(TestPatients.Numbered(1).ToNew(), TestPatients.Admissions, default); // payer 87726
        var byOther = await Store.InsertAsync(TestPatients.Numbered(2).ToNew(), new AccessContext("website-backend", "admissions", "verify coverage"), default);
        var claimed = await Queue.ClaimAsync("worker-a", _db.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 1, default);

        async Task<IEnumerable<Guid>> Ids(VerificationQuery query) => (await Store.ListAsync(query, default)).Items.Select(item => item.Id);

        Assert.That(await Ids(new VerificationQuery { Status = VerificationStatus.InProgress }), Is.EquivalentTo(claimed.Select(c => c.Id)));
        Assert.That(await Ids(new VerificationQuery { PayerId = "87726" }), Is.EquivalentTo(new[] { late.Record.Id }));
        Assert.That(await Ids(new VerificationQuery { CreatedBy = "website-backend" }), Is.EquivalentTo(new[] { byOther.Record.Id }));
        Assert.That(await Ids(new VerificationQuery { Since = since }), Is.EquivalentTo(new[] { late.Record.Id, byOther.Record.Id }));
        Assert.That(await Ids(new VerificationQuery()), Does.Contain(early.Record.Id));
    }

    [Test]
    public async Task Claim_takes_due_queued_work_and_leases_it()
    {
        var due = await Store.InsertAsync(TestPatients.Numbered(1).ToNew(), TestPatients.Admissions, default);
        var later = await Store.InsertAsync(TestPatients.Numbered(2).ToNew() with { NotBefore = _db.Clock.GetUtcNow().AddMinutes(10) }, TestPatients.Admissions, default);
        var now = _db.Clock.GetUtcNow();

        var claimed = await Queue.ClaimAsync("worker-a", now, TimeSpan.FromMinutes(2), 10, default);

        Assert.That(claimed.Select(c => c.Id), Is.EqualTo(new[] { due.Record.Id }));
        var item = claimed[0];
        Assert.That(item.Status, Is.EqualTo(VerificationStatus.InProgress));
        Assert.That(item.LeaseOwner, Is.EqualTo("worker-a"));
        Assert.That(item.LeaseExpiresAt, Is.EqualTo(now.AddMinutes(2)));
        Assert.That(item.Attempts, Is.EqualTo(1));
        Assert.That(item.PayloadJson, Is.EqualTo(TestPatients.Numbered(1).PayloadJson));
        Assert.That((await Store.GetAsync(later.Record.Id, TestPatients.Admissions, default))!.Status, Is.EqualTo(VerificationStatus.Queued));
        Assert.That(await Queue.ClaimAsync("worker-b", now, TimeSpan.FromMinutes(2), 10, default), Is.Empty);
    }

    [Test]
    public async Task Two_concurrent_claimers_never_receive_the_same_item()
    {
        const int items = 60;
        for (var i = 0; i < items; i++)
        {
            await Store.InsertAsync(TestPatients.Numbered(i).ToNew(), TestPatients.Admissions, default);
        }

        var now = _db.Clock.GetUtcNow();
        // All four start together and pause between claims: with fast commits (synchronous=NORMAL) one worker could
        // otherwise drain the queue before the others were even scheduled, and the test would prove nothing.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        async Task<List<Guid>> Drain(string worker)
        {
            await start.Task;
            var mine = new List<Guid>();
            while (true)
            {
                var batch = await Queue.ClaimAsync(worker, now, TimeSpan.FromMinutes(5), 3, default);
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(b => b.Id));
                await Task.Delay(TimeSpan.FromMilliseconds(25)); // long enough that a loaded 2-core CI machine schedules the others
            }
        }

        var drains = Enumerable.Range(0, 4).Select(w => Task.Run(() => Drain($"worker-{w}"))).ToList();
        start.SetResult();
        var results = await Task.WhenAll(drains);

        var all = results.SelectMany(r => r).ToList();
        Assert.That(all, Has.Count.EqualTo(items));
        Assert.That(all.Distinct().Count(), Is.EqualTo(items), "an item was claimed twice");
        Assert.That(results.Count(r => r.Count > 0), Is.GreaterThan(1), "only one worker got work; the test did not exercise concurrency");
    }

    [Test]
    public async Task An_expired_lease_is_taken_over_and_the_old_holder_is_fenced_out()
    {
        var inserted = await Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        var start = _db.Clock.GetUtcNow();
        await Queue.ClaimAsync("crashed-worker", start, TimeSpan.FromMinutes(2), 1, default);

        var tooEarly = await Queue.ClaimAsync("worker-b", start.AddMinutes(1), TimeSpan.FromMinutes(2), 1, default);
        var afterExpiry = await Queue.ClaimAsync("worker-b", start.AddMinutes(3), TimeSpan.FromMinutes(2), 1, default);

        Assert.That(tooEarly, Is.Empty);
        Assert.That(afterExpiry.Select(c => c.Id), Is.EqualTo(new[] { inserted.Record.Id }));
        Assert.That(afterExpiry[0].Attempts, Is.EqualTo(2));
        Assert.That(afterExpiry[0].LeaseOwner, Is.EqualTo("worker-b"));

        Assert.That(await Queue.CompleteAsync(inserted.Record.Id, "crashed-worker", VerificationStatus.Completed, "{\"late\":true}", start.AddMinutes(4), default), Is.False);
        Assert.That(await Queue.RescheduleAsync(inserted.Record.Id, "crashed-worker", start.AddMinutes(9), "42", "late", default), Is.False);
        Assert.That(await Queue.MarkNeedsReviewAsync(inserted.Record.Id, "crashed-worker", null, start.AddMinutes(4), "42", "late", default), Is.False);
        Assert.That(await Queue.CompleteAsync(inserted.Record.Id, "worker-b", VerificationStatus.Completed, "{\"active\":true}", start.AddMinutes(4), default), Is.True);
        Assert.That((await Store.GetAsync(inserted.Record.Id, TestPatients.Admissions, default))!.ResultJson, Is.EqualTo("{\"active\":true}"));
    }

    [Test]
    public async Task Reschedule_returns_the_item_to_the_queue_until_its_next_attempt()
    {
        var inserted = await Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        var now = _db.Clock.GetUtcNow();
        await Queue.ClaimAsync("worker-a", now, TimeSpan.FromMinutes(2), 1, default);

        var rescheduled = await Queue.RescheduleAsync(inserted.Record.Id, "worker-a", now.AddSeconds(30), "80", "payer timed out", default);
        var read = await Store.GetAsync(inserted.Record.Id, TestPatients.Admissions, default);

        Assert.That(rescheduled, Is.True);
        Assert.That(read!.Status, Is.EqualTo(VerificationStatus.Queued));
        Assert.That(read.LeaseOwner, Is.Null);
        Assert.That(read.LastErrorCode, Is.EqualTo("80"));
        Assert.That(read.LastError, Is.EqualTo("payer timed out"));
        Assert.That(read.NextAttemptAt, Is.EqualTo(now.AddSeconds(30)));
        Assert.That(await Queue.ClaimAsync("worker-a", now.AddSeconds(29), TimeSpan.FromMinutes(2), 1, default), Is.Empty);
        var retried = await Queue.ClaimAsync("worker-a", now.AddSeconds(30), TimeSpan.FromMinutes(2), 1, default);
        Assert.That(retried.Single().Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task Complete_and_needs_review_finish_the_item_and_release_the_lease()
    {
        var done = await Store.InsertAsync(TestPatients.Numbered(1).ToNew(), TestPatients.Admissions, default);
        var stuck = await Store.InsertAsync(TestPatients.Numbered(2).ToNew(), TestPatients.Admissions, default);
        var now = _db.Clock.GetUtcNow();
        await Queue.ClaimAsync("worker-a", now, TimeSpan.FromMinutes(2), 2, default);

        Assert.That(await Queue.CompleteAsync(done.Record.Id, "worker-a", VerificationStatus.Completed, "{\"coverage\":{}}", now.AddSeconds(5), default), Is.True);
        Assert.That(await Queue.MarkNeedsReviewAsync(stuck.Record.Id, "worker-a", "{\"errors\":[]}", now.AddSeconds(6), "42", "gave up after 6 attempts", default), Is.True);

        var completed = await Store.GetAsync(done.Record.Id, TestPatients.Admissions, default);
        Assert.That(completed!.Status, Is.EqualTo(VerificationStatus.Completed));
        Assert.That(completed.CheckedAt, Is.EqualTo(now.AddSeconds(5)));
        Assert.That(completed.CompletedAt, Is.EqualTo(now.AddSeconds(5)));
        Assert.That(completed.LeaseOwner, Is.Null);
        Assert.That(completed.Version, Is.EqualTo(3)); // insert, claim, complete
        var review = await Store.GetAsync(stuck.Record.Id, TestPatients.Admissions, default);
        Assert.That(review!.Status, Is.EqualTo(VerificationStatus.NeedsReview));
        Assert.That(review.ResultJson, Is.EqualTo("{\"errors\":[]}"));
        Assert.That(review.CompletedAt, Is.Null);
        Assert.That(await Queue.ClaimAsync("worker-b", now.AddHours(1), TimeSpan.FromMinutes(2), 10, default), Is.Empty);
        Assert.That(await Queue.CompleteAsync(done.Record.Id, "worker-a", VerificationStatus.Completed, "{}", now, default), Is.False, "finished items cannot be finished again");
    }

    [Test]
    public void Complete_refuses_a_status_that_is_not_final()
    {
        Assert.ThrowsAsync<ArgumentException>(() =>
            Queue.CompleteAsync(Guid.NewGuid(), "worker-a", VerificationStatus.Queued, "{}", _db.Clock.GetUtcNow(), default));
    }

    [Test]
    public async Task A_lease_taken_at_insert_keeps_workers_away_until_it_expires()
    {
        var inserted = await Store.InsertAsync(
            TestPatients.Jane.ToNew() with { Lease = new VerificationLease("api-instance-1", TimeSpan.FromSeconds(20)) },
            TestPatients.Admissions,
            default);
        var now = _db.Clock.GetUtcNow();

        Assert.That(inserted.Record.Status, Is.EqualTo(VerificationStatus.InProgress));
        Assert.That(await Queue.ClaimAsync("worker-a", now.AddSeconds(19), TimeSpan.FromMinutes(2), 10, default), Is.Empty);
        Assert.That(await Queue.RescheduleAsync(inserted.Record.Id, "api-instance-1", now, "timeout", "real-time budget exceeded", default), Is.True);
        Assert.That((await Queue.ClaimAsync("worker-a", now, TimeSpan.FromMinutes(2), 10, default)).Single().Id, Is.EqualTo(inserted.Record.Id));
    }

    [Test]
    public async Task Every_PHI_access_is_audited_with_who_why_and_what()
    {
        var inserted = await Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        var finance = new AccessContext("test-finance", "finance", "work queue review");
        await Store.GetAsync(inserted.Record.Id, finance, default);
        await Queue.ClaimAsync("worker-a", _db.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 1, default);
        await Queue.CompleteAsync(inserted.Record.Id, "worker-a", VerificationStatus.Completed, "{}", _db.Clock.GetUtcNow(), default);
        await _db.Audit.AppendAsync(finance, AuditActions.Export, AuditRecordTypes.Verification, inserted.Record.Id.ToString(), default);

        var trail = await _db.Audit.ListForRecordAsync(AuditRecordTypes.Verification, inserted.Record.Id.ToString(), default);

        Assert.That(
            trail.Select(e => (e.Action, e.Actor, e.Role, e.Purpose)),
            Is.EqualTo(new[]
            {
                (AuditActions.Create, TestPatients.Actor, "admissions", "verify coverage"),
                (AuditActions.Read, "test-finance", "finance", "work queue review"),
                (AuditActions.Claim, "worker-a", AccessContext.WorkerRole, "eligibility verification"),
                (AuditActions.Update, "worker-a", AccessContext.WorkerRole, "eligibility verification"),
                (AuditActions.Export, "test-finance", "finance", "work queue review"),
            }));
        Assert.That(trail.Select(e => e.At), Has.All.EqualTo(_db.Clock.GetUtcNow()));
    }

    [Test]
    public async Task Listing_returns_no_PHI_and_writes_no_audit()
    {
        var inserted = await Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);

        await Store.ListAsync(new VerificationQuery(), default);

        var trail = await _db.Audit.ListForRecordAsync(AuditRecordTypes.Verification, inserted.Record.Id.ToString(), default);
        Assert.That(trail.Select(e => e.Action), Is.EqualTo(new[] { AuditActions.Create }));
        Assert.That(typeof(VerificationSummary).GetProperties().Select(p => p.Name),
            Is.EquivalentTo(new[] { "Id", "Status", "PayerId", "Attempts", "CreatedAt", "CreatedBy", "CheckedAt", "LastErrorCode" }));
    }

    [TestCase("UPDATE audit_log SET actor = 'someone-else'")]
    [TestCase("DELETE FROM audit_log")]
    public async Task Audit_rows_cannot_be_updated_or_deleted(string sql)
    {
        await Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default);
        await using var connection = await _db.Database.OpenAsync(default);

        Assert.CatchAsync<DbException>(() => connection.ExecuteAsync(sql));

        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE actor = @actor", new { actor = TestPatients.Actor }), Is.EqualTo(1));
    }

    [Test]
    public async Task Queue_stats_count_queued_and_leased_work_and_age_the_oldest()
    {
        await Store.InsertAsync(TestPatients.Numbered(1).ToNew(), TestPatients.Admissions, default);
        _db.Clock.Advance(TimeSpan.FromMinutes(5));
        await Store.InsertAsync(TestPatients.Numbered(2).ToNew(), TestPatients.Admissions, default);
        await Store.InsertAsync(TestPatients.Numbered(3).ToNew(), TestPatients.Admissions, default);
        await Queue.ClaimAsync("worker-a", _db.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 1, default); // takes the oldest
        _db.Clock.Advance(TimeSpan.FromMinutes(1));

        var stats = await Queue.GetQueueStatsAsync(default);

        Assert.That(stats, Is.EqualTo(new QueueStats(Queued: 2, InProgress: 1, OldestQueuedAge: TimeSpan.FromMinutes(1))));
        Assert.That(await Queue.CountQueuedAsync(default), Is.EqualTo(2));
    }

    [Test]
    public async Task Queue_stats_of_an_empty_queue_are_zero()
    {
        Assert.That(await Queue.GetQueueStatsAsync(default), Is.EqualTo(new QueueStats(0, 0, null)));
    }

    [Test]
    public async Task Reverification_candidates_are_the_latest_completed_check_per_member_still_in_the_program()
    {
        var today = new DateOnly(2026, 11, 28);
        var now = _db.Clock.GetUtcNow();
        async Task<Guid> Completed(TestPatients.Patient patient, DateOnly? programEnd)
        {
            var id = (await Store.InsertAsync(patient.ToNew(programEnd: programEnd), TestPatients.Admissions, default)).Record.Id;
            var claimed = await Queue.ClaimAsync("worker-a", _db.Clock.GetUtcNow(), TimeSpan.FromMinutes(2), 1, default);
            Assert.That(claimed.Single().Id, Is.EqualTo(id));
            Assert.That(await Queue.CompleteAsync(id, "worker-a", VerificationStatus.Completed, "{}", _db.Clock.GetUtcNow(), default), Is.True);
            _db.Clock.Advance(TimeSpan.FromMinutes(1));
            return id;
        }

        var janeOld = await Completed(TestPatients.Jane, today.AddDays(30));
        var janeLatest = await Completed(TestPatients.Jane with { MemberId = " w98x76y54z " }, today.AddDays(30)); // same member, normalised
        var endsToday = await Completed(TestPatients.Numbered(1), today);
        await Completed(TestPatients.Numbered(2), today.AddDays(-1)); // program over
        await Completed(TestPatients.Numbered(3), null); // no program
        await Completed(TestPatients.Numbered(4), today.AddDays(10));
        await Store.InsertAsync(TestPatients.Numbered(4).ToNew(programEnd: today.AddDays(10)), TestPatients.Admissions, default); // already queued again

        var candidates = await Store.ListReverificationCandidatesAsync(today, default);

        Assert.That(candidates.Select(c => c.VerificationId), Is.EquivalentTo(new[] { janeLatest, endsToday }));
        Assert.That(candidates.Select(c => c.VerificationId), Does.Not.Contain(janeOld));
        var jane = candidates.Single(c => c.VerificationId == janeLatest);
        Assert.That(jane.ProgramEnd, Is.EqualTo(today.AddDays(30)));
        Assert.That(jane.PayerId, Is.EqualTo("60054"));
        Assert.That(jane.CheckedAt, Is.EqualTo(now.AddMinutes(1)));
    }

    [Test]
    public async Task Changes_between_runs_are_written_with_the_completion_and_listed_in_order()
    {
        var first = (await Store.InsertAsync(TestPatients.Jane.ToNew(), TestPatients.Admissions, default)).Record.Id;
        var second = (await Store.InsertAsync(TestPatients.Jane.ToNew() with { PreviousVerificationId = first }, TestPatients.Admissions, default)).Record.Id;
        var at = _db.Clock.GetUtcNow();
        DetectedChange[] found =
        [
            new(first, VerificationChangeKinds.DeductibleProgressed, "in-network individual deductible remaining 1300.00 -> 900.00"),
            new(first, VerificationChangeKinds.CoverageEnded, "plan end 2026-12-31"),
        ];
        var claimed = await Queue.ClaimAsync("worker-a", at, TimeSpan.FromMinutes(2), 10, default);
        Assert.That(claimed.Select(c => c.Id), Does.Contain(second));

        var lost = await Queue.CompleteAsync(second, "worker-b", VerificationStatus.Completed, "{}", at, default, changes: found);
        Assert.That(lost, Is.False, "another worker's lease");
        Assert.That(await Store.ListChangesAsync(second, default), Is.Empty, "nothing written without the lease");

        var written = await Queue.CompleteAsync(second, "worker-a", VerificationStatus.Completed, "{}", at, default, changes: found);
        Assert.That(written, Is.True);

        var changes = await Store.ListChangesAsync(second, default);
        Assert.That(changes.Select(c => (c.Kind, c.Detail, c.PreviousVerificationId, c.DetectedAt)), Is.EqualTo(new[]
        {
            (VerificationChangeKinds.DeductibleProgressed, "in-network individual deductible remaining 1300.00 -> 900.00", (Guid?)first, at),
            (VerificationChangeKinds.CoverageEnded, "plan end 2026-12-31", (Guid?)first, at),
        }));
        Assert.That(await Store.ListChangesAsync(first, default), Is.Empty);
    }

    [Test]
    public async Task Migrations_run_once_and_their_scripts_are_idempotent()
    {
        var migrator = _db.CreateMigrator();

        var second = await migrator.MigrateAsync(default);

        Assert.That(second, Is.Empty);
        await using var connection = await _db.Database.OpenAsync(default);
        foreach (var script in DatabaseMigrator.ScriptNames(_db.Database.Dialect))
        {
            var text = DatabaseMigrator.ReadScript(script);
            foreach (var batch in System.Text.RegularExpressions.Regex.Split(text, @"^\s*GO\s*$", System.Text.RegularExpressions.RegexOptions.Multiline))
            {
                if (!string.IsNullOrWhiteSpace(batch))
                {
                    Assert.DoesNotThrowAsync(() => connection.ExecuteAsync(batch), script);
                }
            }
        }
    }
}

[TestFixture]
internal sealed class SqliteVerificationStoreTests : VerificationStoreContract
{
    protected override async Task<TestDatabase?> CreateDatabaseAsync() => await TestDatabase.CreateSqliteAsync();
}

[TestFixture]
internal sealed class SqlServerVerificationStoreTests : VerificationStoreContract
{
    [OneTimeSetUp]
    public void RequireServer()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestDatabase.SqlServerVariable)))
        {
            Assert.Ignore($"Set {TestDatabase.SqlServerVariable} to a SQL Server connection string (a login that may create databases) to run the storage contract against SQL Server.");
        }
    }

    protected override Task<TestDatabase?> CreateDatabaseAsync() => TestDatabase.CreateSqlServerAsync();
}
