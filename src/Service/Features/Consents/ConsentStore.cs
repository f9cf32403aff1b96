using System.Data.Common;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Consents;

/// <summary>
/// Consent records at rest: recorded with the verification they allow (in its transaction), read (audited), checked
/// before every payer call, and revoked. A consent names no one; the member it concerns is found through the
/// verifications that carry its id (their keyed <c>member_key</c>), so a revocation reaches every consent on file for
/// that member with that payer, and any consent dated before it that arrives later (an old census row).
/// </summary>
internal sealed class ConsentStore(IDbConnectionFactory database, PhiProtector phi, TimeProvider timeProvider, ILogger<ConsentStore> logger)
{
    internal const string ReasonColumn = "consents.revocation_reason_cipher";
    internal const int ReasonMaxLength = 500;

    /// <summary>Records <paramref name="consents"/>, attested by the caller, inside the caller's write transaction.</summary>
    internal static async Task InsertAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<NewConsent> consents, AccessContext access, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (consents.Count == 0)
        {
            return;
        }

        const string sql = """
            INSERT INTO consents (id, given_by, method, given_at, attested_by, payer_id, purpose, expires_at, text_version, source, created_at)
            VALUES (@id, @givenBy, @method, @givenAt, @attestedBy, @payerId, @purpose, @expiresAt, @textVersion, @source, @createdAt)
            """;
        await connection.ExecuteAsync(new CommandDefinition(
            sql,
            consents.Select(consent => new
            {
                id = consent.Id,
                givenBy = Sql.Ansi(consent.GivenBy, 16),
                method = Sql.Ansi(consent.Method, 16),
                givenAt = consent.GivenAt,
                attestedBy = Sql.Truncate(access.Actor, 128),
                payerId = Sql.Ansi(consent.PayerId.Trim(), 32),
                purpose = Sql.Ansi(ConsentPurposes.Eligibility, 16),
                expiresAt = consent.ExpiresAt,
                textVersion = Sql.Ansi(consent.TextVersion, 32),
                source = Sql.Ansi(consent.Source, 16),
                createdAt = now,
            }),
            transaction,
            cancellationToken: cancellationToken));
        await AuditStore.AppendAllAsync(
            connection, transaction, access, AuditActions.Create, consents.Select(consent => new AuditRecord(AuditRecordTypes.Consent, consent.Id.ToString())), now, cancellationToken);
    }

    /// <summary>One consent, or null; the read is audited.</summary>
    public async Task<ConsentRecord?> GetAsync(Guid id, AccessContext access, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var row = await ReadAsync(connection, write.Transaction, id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Read, AuditRecordTypes.Consent, id.ToString(), timeProvider.GetUtcNow(), cancellationToken);
        await write.Transaction.CommitAsync(cancellationToken);
        return Decrypt(row);
    }

    /// <summary>
    /// The consent a verification carries, for showing with it: the verification's read is the audited one
    /// (<see cref="VerificationStore.GetAsync"/>), so this read adds no entry of its own.
    /// </summary>
    public async Task<ConsentRecord?> FindForVerificationAsync(Guid consentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await ReadAsync(connection, transaction: null, consentId, cancellationToken);
        return row is null ? null : Decrypt(row);
    }

    /// <summary>The consent of a verification as the API shows it (state as of now), or null when it has none.</summary>
    public async Task<ConsentResponse?> DescribeAsync(Guid? consentId, CancellationToken cancellationToken) =>
        consentId is { } id && await FindForVerificationAsync(id, cancellationToken) is { } consent
            ? ConsentResponse.From(consent, timeProvider.GetUtcNow())
            : null;

    /// <summary>
    /// Whether a payer may be asked about <paramref name="payload"/> at <paramref name="now"/>: its consent exists, is
    /// for this payer, was given and has not expired, and neither it nor any consent for the same member was revoked
    /// after it was given. Checked right before each call (real-time, worker retry, re-verification, batch row).
    /// A linked verification to a carve-out administrator carries its parent's consent: that consent, for the plan's
    /// payer, covers the administrator the plan names for these benefits, and revocations for the plan's member count.
    /// </summary>
    public async Task<ConsentVerdict> CheckAsync(VerificationPayload payload, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (payload.Consent.Id is not { } consentId)
        {
            return ConsentVerdict.Missing("No consent record covers this check: record the patient's consent and verify again.");
        }

        const string sql = """
            SELECT payer_id AS PayerId, given_at AS GivenAt, expires_at AS ExpiresAt, revoked_at AS RevokedAt
            FROM consents WHERE id = @consentId;
            SELECT c.revoked_at
            FROM consents c
            WHERE c.revoked_at IS NOT NULL
              AND EXISTS (
                  SELECT 1
                  FROM verification_consents vc
                  JOIN verifications v ON v.id = vc.verification_id
                  WHERE vc.consent_id = c.id AND v.member_key IN (@memberKey, @planMemberKey));
            """;
        await using var connection = await database.OpenAsync(cancellationToken);
        var memberKey = phi.MemberKey(payload.Insurance.PayerId, payload.Insurance.MemberId);
        var plan = payload.CarveOutOf;
        var planMemberKey = plan is null ? memberKey : phi.MemberKey(plan.PayerId, plan.MemberId);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            sql, new { consentId, memberKey = Sql.Ansi(memberKey, 64), planMemberKey = Sql.Ansi(planMemberKey, 64) }, cancellationToken: cancellationToken));
        var consent = await results.ReadSingleOrDefaultAsync<ConsentTermsRow>();
        var revocations = (await results.ReadAsync<DateTimeOffset>()).ToList();

        if (consent is null)
        {
            return ConsentVerdict.Missing("The consent this check refers to is not on file: record the patient's consent and verify again.");
        }

        if (consent.RevokedAt is not null || revocations.Any(revokedAt => revokedAt >= consent.GivenAt))
        {
            return ConsentVerdict.Revoked("The patient revoked their consent: the payer is not asked. A new, signed consent is needed before verifying again.");
        }

        var coveredPayer = plan?.PayerId ?? payload.Insurance.PayerId;
        if (!string.Equals(consent.PayerId.Trim(), coveredPayer.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return ConsentVerdict.Missing("The consent on file is for another payer: record the patient's consent for this payer.");
        }

        if (consent.GivenAt > now + ConsentTerms.ClockSkew)
        {
            return ConsentVerdict.Missing("The consent on file is dated later than now: correct its date.");
        }

        if (consent.ExpiresAt <= now)
        {
            return ConsentVerdict.Missing("The patient's consent has expired: obtain a new consent before asking the payer again.");
        }

        return ConsentVerdict.Allow;
    }

    /// <summary>
    /// Revokes a consent, every other unrevoked consent given before now for the same member (the patient withdrew
    /// permission to ask that payer), and stops the queued verifications under them (needs-review,
    /// <c>consent-revoked</c>), in one durable transaction with an audit entry for each record. Null when there is no
    /// such consent; a consent already revoked is returned unchanged.
    /// </summary>
    public async Task<RevocationResult?> RevokeAsync(Guid id, RevocationRequest request, AccessContext access, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Method);
        var now = timeProvider.GetUtcNow();
        // Accepting a revocation is accepting work: it must survive a power loss once answered (synchronous=FULL).
        await using var connection = await database.OpenDurableAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var row = await ReadAsync(connection, transaction, id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        if (row.RevokedAt is not null)
        {
            await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Read, AuditRecordTypes.Consent, id.ToString(), now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new RevocationResult(Decrypt(row), AlreadyRevoked: true, AlsoRevoked: 0, Stopped: 0);
        }

        // This consent, and the member's other consents given up to now.
        const string siblingsSql = """
            SELECT DISTINCT c.id
            FROM consents c
            JOIN verification_consents vc ON vc.consent_id = c.id
            JOIN verifications v ON v.id = vc.verification_id
            WHERE c.revoked_at IS NULL AND c.id <> @id AND c.given_at <= @now
              AND v.member_key IN (
                  SELECT mine.member_key FROM verifications mine
                  JOIN verification_consents link ON link.verification_id = mine.id
                  WHERE link.consent_id = @id)
            """;
        var siblings = (await connection.QueryAsync<Guid>(new CommandDefinition(siblingsSql, new { id, now }, transaction, cancellationToken: cancellationToken))).ToList();
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        const string revokeSql = """
            UPDATE consents
            SET revoked_at = @now, revoked_by = @revokedBy, revocation_method = @method, revocation_reason_cipher = @reasonCipher
            WHERE id = @consentId AND revoked_at IS NULL
            """;
        foreach (var consentId in siblings.Prepend(id))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                revokeSql,
                new
                {
                    consentId,
                    now,
                    revokedBy = Sql.Truncate(access.Actor, 128),
                    method = Sql.Ansi(request.Method, 16),
                    reasonCipher = reason is null ? null : phi.Protect(reason, consentId, ReasonColumn),
                },
                transaction,
                cancellationToken: cancellationToken));
            await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Revoke, AuditRecordTypes.Consent, consentId.ToString(), now, cancellationToken);
        }

        // Queued work under any of them stops now; work a worker holds is checked again before its call.
        const string queuedSql = """
            SELECT v.id FROM verifications v JOIN verification_consents vc ON vc.verification_id = v.id
            WHERE v.status = 'queued' AND vc.consent_id = @consentId
            """;
        const string stopSql = """
            UPDATE verifications
            SET status = 'needs-review', last_error_code = @code, last_error = @error, lease_owner = NULL,
                lease_expires_at = NULL, updated_at = @now, version = version + 1
            WHERE id = @verificationId AND status = 'queued'
            """;
        var stopped = 0;
        foreach (var consentId in siblings.Prepend(id))
        {
            var queued = await connection.QueryAsync<Guid>(new CommandDefinition(queuedSql, new { consentId }, transaction, cancellationToken: cancellationToken));
            foreach (var verificationId in queued.ToList())
            {
                stopped += await connection.ExecuteAsync(new CommandDefinition(
                    stopSql,
                    new
                    {
                        verificationId,
                        code = Sql.Ansi(ConsentErrorCodes.Revoked, 32),
                        error = "The patient revoked their consent: the payer is not asked.",
                        now,
                    },
                    transaction,
                    cancellationToken: cancellationToken));
                await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Update, AuditRecordTypes.Verification, verificationId.ToString(), now, cancellationToken);
            }
        }

        var revoked = await ReadAsync(connection, transaction, id, cancellationToken)
            ?? throw new InvalidOperationException("A consent disappeared while it was revoked.");
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation(
            "Consent {ConsentId} revoked by {Actor}; {AlsoRevoked} other consent(s) for the same member revoked with it; {Stopped} queued verification(s) stopped",
            id, access.Actor, siblings.Count, stopped);
        return new RevocationResult(Decrypt(revoked), AlreadyRevoked: false, siblings.Count, stopped);
    }

    private static Task<ConsentRow?> ReadAsync(DbConnection connection, DbTransaction? transaction, Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT id, given_by, method, given_at, attested_by, payer_id, purpose, expires_at, text_version, source, created_at,
                   revoked_at, revoked_by, revocation_method, revocation_reason_cipher
            FROM consents WHERE id = @id
            """;
        return connection.QuerySingleOrDefaultAsync<ConsentRow>(new CommandDefinition(sql, new { id }, transaction, cancellationToken: cancellationToken));
    }

    private ConsentRecord Decrypt(ConsentRow row) => new()
    {
        Id = row.Id,
        GivenBy = row.GivenBy,
        Method = row.Method,
        GivenAt = row.GivenAt,
        AttestedBy = row.AttestedBy,
        PayerId = row.PayerId.Trim(),
        Purpose = row.Purpose,
        ExpiresAt = row.ExpiresAt,
        TextVersion = row.TextVersion,
        Source = row.Source,
        CreatedAt = row.CreatedAt,
        RevokedAt = row.RevokedAt,
        RevokedBy = row.RevokedBy,
        RevocationMethod = row.RevocationMethod,
        RevocationReason = row.RevocationReasonCipher is { } cipher ? phi.Unprotect(cipher, row.Id, ReasonColumn) : null,
    };

    private sealed record ConsentTermsRow
    {
        public string PayerId { get; init; } = "";
        public DateTimeOffset GivenAt { get; init; }
        public DateTimeOffset ExpiresAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
    }

    private sealed record ConsentRow
    {
        public Guid Id { get; init; }
        public string GivenBy { get; init; } = "";
        public string Method { get; init; } = "";
        public DateTimeOffset GivenAt { get; init; }
        public string AttestedBy { get; init; } = "";
        public string PayerId { get; init; } = "";
        public string Purpose { get; init; } = "";
        public DateTimeOffset ExpiresAt { get; init; }
        public string? TextVersion { get; init; }
        public string Source { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? RevokedAt { get; init; }
        public string? RevokedBy { get; init; }
        public string? RevocationMethod { get; init; }
        public byte[]? RevocationReasonCipher { get; init; }
    }
}
