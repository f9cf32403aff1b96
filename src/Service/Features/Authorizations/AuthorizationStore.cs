using System.Text.Json;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Dapper;
using EstimatorAuthorization = CoverageCheck.Estimator.Authorization;

namespace CoverageCheck.Service.Features.Authorizations;

/// <summary>
/// Authorisations at rest (migration 0013): the number and reviewer encrypted in <c>payload_cipher</c>; status, days and
/// dates plain for the due lists; <c>number_key</c> a keyed hash of the number so a later record of the same
/// authorisation supersedes an earlier one. Records are never changed or deleted. Writes are audited; reads go with the
/// verification's audited read (<see cref="VerificationStore.GetAsync"/>), as its consent does.
/// </summary>
internal sealed class AuthorizationStore(IDbConnectionFactory database, PhiProtector phi, TimeProvider timeProvider)
{
    internal const string PayloadColumn = "authorizations.payload_cipher";


    /// <summary>
    /// Records an authorisation on a verification and, when given, the verification's result re-priced with it
    /// (<paramref name="resultJson"/>, written only if the verification is still at <paramref name="version"/>), in one
    /// durable transaction with an audit entry for each. Null when there is no such verification; <c>Conflict</c> (and
    /// nothing written) when another write changed the verification meanwhile.
    /// </summary>
    public async Task<(AuthorizationResponse? Created, bool Conflict)> InsertAsync(
        Guid verificationId, NewAuthorization authorization, string? resultJson, int version, AccessContext access, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var exists = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM verifications WHERE id = @verificationId", new { verificationId }, transaction, cancellationToken: cancellationToken));
        if (exists == 0)
        {
            return (null, false);
        }

        const string insert = """
            INSERT INTO authorizations (id, verification_id, number_key, status, days, effective_date, expiration_date, next_review_date, payload_cipher, created_at, created_by)
            VALUES (@id, @verificationId, @numberKey, @status, @days, @effectiveDate, @expirationDate, @nextReviewDate, @payload, @now, @by)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            insert,
            new
            {
                id,
                verificationId,
                numberKey = Sql.Ansi(NumberKey(verificationId, authorization.Secret.Number), 64),
                status = Sql.Ansi(authorization.Status, 16),
                days = authorization.Days,
                effectiveDate = authorization.EffectiveDate,
                expirationDate = authorization.ExpirationDate,
                nextReviewDate = authorization.NextReviewDate,
                payload = phi.Protect(JsonSerializer.Serialize(authorization.Secret, AuthorizationsJsonContext.Default.AuthorizationSecret), id, PayloadColumn),
                now,
                by = Sql.Truncate(access.Actor, 128),
            },
            transaction,
            cancellationToken: cancellationToken));
        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Create, AuditRecordTypes.Authorization, id.ToString(), now, cancellationToken);

        if (resultJson is not null)
        {
            // Only a finished verification is re-priced; the worker owns one still in progress (and prices it with
            // the authorisations on file when it finishes).
            // Fenced by version, as a completion's re-estimate is: neither overwrites the other's result.
            const string update = """
                UPDATE verifications SET result_cipher = @result, updated_at = @now, version = version + 1
                WHERE id = @verificationId AND version = @version AND status = @completed
                """;
            var updated = await connection.ExecuteAsync(new CommandDefinition(
                update,
                new { result = phi.Protect(resultJson, verificationId, VerificationStore.ResultColumn), now, verificationId, version, completed = Sql.Ansi(VerificationStatus.Completed, 16) },
                transaction,
                cancellationToken: cancellationToken));
            if (updated == 0)
            {
                return (null, true); // disposing the transaction rolls the insert back
            }

            await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Update, AuditRecordTypes.Verification, verificationId.ToString(), now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (new AuthorizationResponse(id, verificationId, authorization.Secret.Number, authorization.Status, authorization.Days, authorization.EffectiveDate,
            authorization.ExpirationDate, authorization.NextReviewDate, authorization.Secret.Reviewer, now, Sql.Truncate(access.Actor, 128)!), false);
    }

    /// <summary>Every authorisation of a verification, oldest first, decrypted, each with the record that superseded it.</summary>
    public async Task<IReadOnlyList<AuthorizationResponse>> ListAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id AS Id, verification_id AS VerificationId, number_key AS NumberKey, status AS Status, days AS Days,
                   effective_date AS EffectiveDate, expiration_date AS ExpirationDate, next_review_date AS NextReviewDate,
                   payload_cipher AS PayloadCipher, created_at AS CreatedAt, created_by AS CreatedBy
            FROM authorizations WHERE verification_id = @verificationId
            ORDER BY created_at, id
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<StoredAuthorization>(new CommandDefinition(sql, new { verificationId }, cancellationToken: cancellationToken))).ToList();
        return [.. rows.Select((row, i) =>
        {
            var secret = JsonSerializer.Deserialize(phi.Unprotect(row.PayloadCipher, row.Id, PayloadColumn), AuthorizationsJsonContext.Default.AuthorizationSecret)
                ?? throw new InvalidOperationException("A stored authorisation is empty.");
            var later = rows.Skip(i + 1).LastOrDefault(other => other.NumberKey == row.NumberKey);
            return new AuthorizationResponse(row.Id, row.VerificationId, secret.Number, row.Status, row.Days, row.EffectiveDate, row.ExpirationDate,
                row.NextReviewDate, secret.Reviewer, row.CreatedAt, row.CreatedBy) { SupersededBy = later?.Id };
        })];
    }

    /// <summary>
    /// The authorisations the estimate splits the program by: the current record of each number (plain columns only,
    /// nothing decrypted); null when the verification has none.
    /// </summary>
    public async Task<IReadOnlyList<EstimatorAuthorization>?> ForEstimateAsync(Guid verificationId, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.status AS Status, a.days AS Days, a.effective_date AS EffectiveDate, a.expiration_date AS ExpirationDate
            FROM authorizations a
            -- The current record of each number: no later record of the same number on the verification supersedes it.
            WHERE a.verification_id = @verificationId AND NOT EXISTS (
                  SELECT 1 FROM authorizations later
                  WHERE later.verification_id = a.verification_id AND later.number_key = a.number_key
                    AND (later.created_at > a.created_at OR (later.created_at = a.created_at AND later.id > a.id)))
            ORDER BY a.effective_date, a.created_at
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CurrentAuthorization>(new CommandDefinition(sql, new { verificationId }, cancellationToken: cancellationToken))).ToList();
        return rows.Count == 0
            ? null
            : [.. rows.Select(r => new EstimatorAuthorization(AuthorizationStatuses.ToEstimator(r.Status), r.Days, r.EffectiveDate, r.ExpirationDate))];
    }

    /// <summary>
    /// Current, not denied authorisations with a next review on or before <paramref name="through"/> that are still
    /// running on <paramref name="today"/>; and approved or partial ones expiring from today to <paramref name="through"/>.
    /// </summary>
    public async Task<(IReadOnlyList<DueAuthorization> ReviewsDue, IReadOnlyList<DueAuthorization> Expiring)> DueAsync(
        DateOnly today, DateOnly through, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT a.id AS Id, a.verification_id AS VerificationId, a.status AS Status, a.days AS Days, a.effective_date AS EffectiveDate,
                   a.expiration_date AS ExpirationDate, a.next_review_date AS NextReviewDate
            FROM authorizations a
            WHERE a.status <> 'denied' AND NOT EXISTS (
                  SELECT 1 FROM authorizations later
                  WHERE later.verification_id = a.verification_id AND later.number_key = a.number_key
                    AND (later.created_at > a.created_at OR (later.created_at = a.created_at AND later.id > a.id)))
              AND ((a.next_review_date IS NOT NULL AND a.next_review_date <= @through AND a.expiration_date >= @today)
                   OR (a.status IN ('approved', 'partial') AND a.expiration_date >= @today AND a.expiration_date <= @through))
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = (await connection.QueryAsync<DueRow>(new CommandDefinition(sql, new { today, through }, cancellationToken: cancellationToken))).ToList();
        var reviews = rows
            .Where(r => r.NextReviewDate is { } review && review <= through && r.ExpirationDate >= today)
            .OrderBy(r => r.NextReviewDate)
            .Select(r => r.ToDue() with { ReviewOverdue = r.NextReviewDate < today })
            .ToList();
        var expiring = rows
            .Where(r => r.Status is AuthorizationStatuses.Approved or AuthorizationStatuses.Partial && r.ExpirationDate >= today && r.ExpirationDate <= through)
            .OrderBy(r => r.ExpirationDate)
            .Select(r => r.ToDue())
            .ToList();
        return (reviews, expiring);
    }

    // Per verification, so the same number on two patients' verifications never collides or links them.
    private string NumberKey(Guid verificationId, string number) => phi.MemberKey("authorization:" + verificationId.ToString("N"), number);

    private sealed record StoredAuthorization
    {
        public Guid Id { get; init; }
        public Guid VerificationId { get; init; }
        public string NumberKey { get; init; } = "";
        public string Status { get; init; } = "";
        public int Days { get; init; }
        public DateOnly EffectiveDate { get; init; }
        public DateOnly ExpirationDate { get; init; }
        public DateOnly? NextReviewDate { get; init; }
        public byte[] PayloadCipher { get; init; } = [];
        public DateTimeOffset CreatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
    }

    private sealed record CurrentAuthorization
    {
        public string Status { get; init; } = "";
        public int Days { get; init; }
        public DateOnly EffectiveDate { get; init; }
        public DateOnly ExpirationDate { get; init; }
    }

    private sealed record DueRow
    {
        public Guid Id { get; init; }
        public Guid VerificationId { get; init; }
        public string Status { get; init; } = "";
        public int Days { get; init; }
        public DateOnly EffectiveDate { get; init; }
        public DateOnly ExpirationDate { get; init; }
        public DateOnly? NextReviewDate { get; init; }

        public DueAuthorization ToDue() => new(Id, VerificationId, Status, Days, EffectiveDate, ExpirationDate, NextReviewDate);
    }
}
