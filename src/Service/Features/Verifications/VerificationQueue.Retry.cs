using CoverageCheck.Service.Data;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>What "Retry now" did.</summary>
internal enum RetryNowOutcome
{
    /// <summary>Due now: the worker asks the payer at once.</summary>
    Queued,

    /// <summary>Not waiting for the payer (being checked, completed, failed): nothing changed.</summary>
    NotRetryable,

    /// <summary>Stopped for want of a valid consent: a retry would ask the payer without one, so it is refused.</summary>
    NoConsent,

    NotFound,
}

internal sealed partial class VerificationQueue
{
    /// <summary>
    /// "Retry now" from a person: a queued verification becomes due at once; one that needs review after the worker
    /// gave up (the payer did not answer, or answered with an error) is queued again for one more round. Audited as an
    /// update; a verification stopped for want of consent is never retried (the next attempt checks consent anyway).
    /// </summary>
    public async Task<RetryNowOutcome> RetryNowAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var state = await connection.QuerySingleOrDefaultAsync<RetryState>(new CommandDefinition(
            "SELECT status, last_error_code FROM verifications WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (state is null)
        {
            return RetryNowOutcome.NotFound;
        }

        if (state.LastErrorCode is "consent-missing" or "consent-revoked" or "consent-expired")
        {
            return RetryNowOutcome.NoConsent;
        }

        if (state.Status is not (VerificationStatus.Queued or VerificationStatus.NeedsReview))
        {
            return RetryNowOutcome.NotRetryable;
        }

        const string sql = """
            UPDATE verifications
            SET status = 'queued', next_attempt_at = @now, updated_at = @now, version = version + 1
            WHERE id = @id AND status IN ('queued', 'needs-review')
            """;
        var affected = await connection.ExecuteAsync(new CommandDefinition(sql, new { id, now }, transaction, cancellationToken: cancellationToken));
        if (affected != 1)
        {
            return RetryNowOutcome.NotRetryable;
        }

        await AuditStore.AppendAsync(connection, transaction, access with { Purpose = access.Purpose + " (retry now)" }, AuditActions.Update, AuditRecordTypes.Verification, id.ToString(), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return RetryNowOutcome.Queued;
    }

    private sealed record RetryState
    {
        public string Status { get; init; } = "";
        public string? LastErrorCode { get; init; }
    }
}
