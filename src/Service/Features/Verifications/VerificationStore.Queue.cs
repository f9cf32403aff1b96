using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>One line of the admissions work queue: the verification's state with whom it is about and what it found.</summary>
internal sealed record QueueEntry(VerificationSummary Summary, VerificationPayload? Payload, VerificationResult? Result, DateTimeOffset? NextAttemptAt)
{
    public override string ToString() => $"QueueEntry {{ Id = {Summary.Id}, Status = {Summary.Status} }}";
}

internal sealed partial class VerificationStore
{
    /// <summary>
    /// The work queue with the patient (name, date of birth) and the answer decrypted, for signed-in admissions staff.
    /// <paramref name="show"/> picks the entries the page will show (a name search looks at more than it shows);
    /// every entry shown gets an audit entry ("read", the caller's purpose), in one transaction.
    /// </summary>
    public async Task<(IReadOnlyList<QueueEntry> Entries, VerificationCursor? Next)> ListQueueAsync(
        VerificationQuery query,
        Func<QueueEntry, bool> show,
        int want,
        int scanLimit,
        AccessContext access,
        CancellationToken cancellationToken)
    {
        // Up to one match more than wanted says whether there is a next page; a scan that stops at its limit goes on from there.
        var shown = new List<QueueEntry>();
        var scanned = 0;
        var cursor = query.Before;
        VerificationCursor? next = null;
        while (true)
        {
            var page = await ListAsync(query with { Before = cursor, Limit = Math.Clamp(want * 2, 50, VerificationQuery.MaxLimit) }, cancellationToken);
            scanned += page.Items.Count;
            shown.AddRange((await DecryptAsync(page.Items, cancellationToken)).Where(show).Take(want + 1 - shown.Count));
            if (shown.Count > want)
            {
                shown.RemoveAt(want);
                next = new VerificationCursor(shown[^1].Summary.CreatedAt, shown[^1].Summary.Id);
                break;
            }

            if (page.Next is null)
            {
                break;
            }

            cursor = page.Next;
            if (scanned >= scanLimit)
            {
                next = cursor;
                break;
            }
        }

        if (shown.Count > 0)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
            var at = timeProvider.GetUtcNow();
            foreach (var entry in shown)
            {
                await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Read, AuditRecordTypes.Verification, entry.Summary.Id.ToString(), at, cancellationToken);
            }

            await write.Transaction.CommitAsync(cancellationToken);
        }

        return (shown, next);
    }

    /// <summary>Whether a verification with this id exists (no PHI read, so not audited).</summary>
    public async Task<bool> ExistsAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM verifications WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    private async Task<IReadOnlyList<QueueEntry>> DecryptAsync(IReadOnlyList<VerificationSummary> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return [];
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        var ids = items.Select(item => item.Id).ToArray();
        var rows = (await connection.QueryAsync<CipherRow>(new CommandDefinition(
                "SELECT id, payload_cipher, result_cipher, next_attempt_at FROM verifications WHERE id IN @ids",
                new { ids },
                cancellationToken: cancellationToken)))
            .ToDictionary(row => row.Id);
        var entries = new List<QueueEntry>(items.Count);
        foreach (var item in items)
        {
            if (!rows.TryGetValue(item.Id, out var row))
            {
                continue;
            }

            var payload = VerificationJson.ReadPayload(phi.Unprotect(row.PayloadCipher, row.Id, PayloadColumn));
            var result = row.ResultCipher is null ? null : VerificationJson.ReadResult(phi.Unprotect(row.ResultCipher, row.Id, ResultColumn));
            entries.Add(new QueueEntry(item, payload, result, item.Status == VerificationStatus.Queued ? row.NextAttemptAt : null));
        }

        return entries;
    }

    private sealed record CipherRow
    {
        public Guid Id { get; init; }
        public byte[] PayloadCipher { get; init; } = [];
        public byte[]? ResultCipher { get; init; }
        public DateTimeOffset NextAttemptAt { get; init; }
    }
}
