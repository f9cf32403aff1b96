using Dapper;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>Where a verification stands, without its PHI: what a pending page polls.</summary>
internal sealed record VerificationState(string Status, int Attempts, DateTimeOffset? CheckedAt);

internal sealed partial class VerificationStore
{
    /// <summary>
    /// The status, attempts and check time of a verification, or null. Nothing is decrypted, so nothing is audited: the
    /// staff result page polls this every few seconds while it waits, and its one view was audited when it was shown.
    /// </summary>
    public async Task<VerificationState?> GetStateAsync(Guid id, CancellationToken cancellationToken)
    {
        const string sql = "SELECT status AS Status, attempts AS Attempts, checked_at AS CheckedAt FROM verifications WHERE id = @id";
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return row is null ? null : new VerificationState(row.Status, row.Attempts, row.CheckedAt);
    }

    private sealed class StateRow
    {
        public string Status { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset? CheckedAt { get; init; }
    }
}
