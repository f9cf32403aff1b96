using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Features.Verifications;
using Dapper;

namespace CoverageCheck.Service.Security;

/// <summary>What <see cref="PhiRekeying"/> did.</summary>
/// <param name="Verifications">Verifications read.</param>
/// <param name="VerificationsRekeyed">Verifications whose request or result was encrypted again under the current key.</param>
/// <param name="MemberKeysChanged">Verifications whose lookup hash was computed again with the target lookup key.</param>
/// <param name="ChangedMeanwhile">Verifications the service changed while this ran; left as the service wrote them.</param>
/// <param name="PatientRefs">Encrypted census patient_refs read.</param>
/// <param name="PatientRefsRekeyed">Census patient_refs encrypted again under the current key.</param>
/// <param name="GoodFaithEstimates">Issued Good Faith Estimate documents read.</param>
/// <param name="GoodFaithEstimatesRekeyed">Issued Good Faith Estimate documents encrypted again under the current key.</param>
internal sealed record PhiRekeyReport(
    int Verifications,
    int VerificationsRekeyed,
    int MemberKeysChanged,
    int ChangedMeanwhile,
    int PatientRefs,
    int PatientRefsRekeyed,
    int GoodFaithEstimates,
    int GoodFaithEstimatesRekeyed)
{
    /// <summary>Consent revocation notes read.</summary>
    public int ConsentReasons { get; init; }

    /// <summary>Completions by phone or portal read, and those encrypted again under the current key.</summary>
    public int Completions { get; init; }

    public int CompletionsRekeyed { get; init; }

    /// <summary>Consent revocation notes encrypted again under the current key.</summary>
    public int ConsentReasonsRekeyed { get; init; }

    /// <summary>Authorisation payloads (number, reviewer) encrypted again under the current key (#17).</summary>
    public int AuthorizationsRekeyed { get; init; }
}

/// <summary>
/// After a key rotation (new <c>Phi:Key</c> and <c>Phi:KeyId</c>, the old key under <c>Phi:PreviousKeys</c>), encrypts
/// every stored value still under an older key again under the current one (requests, results, census patient_refs,
/// issued Good Faith Estimates), so the old key can then be removed. With a lookup protector it also recomputes each
/// verification's <c>member_key</c> with that protector's lookup key, for moving <c>Phi:LookupKeyId</c> to the new key.
/// Runs beside the service: each row is written only if it still holds what was read (a value the service rewrote
/// meanwhile is already under the service's key), in chunks of one write transaction each, and every record whose PHI
/// it decrypted gets an audit entry (<c>rekey</c>).
/// </summary>
internal sealed class PhiRekeying(IDbConnectionFactory database, PhiProtector phi, TimeProvider timeProvider)
{
    private const int ChunkSize = 200;

    public async Task<PhiRekeyReport> RunAsync(AccessContext access, PhiProtector? lookup, Action<string>? progress, CancellationToken cancellationToken)
    {
        var (read, rekeyed, memberKeys, changed) = await RekeyVerificationsAsync(access, lookup, progress, cancellationToken);
        var (refs, refsRekeyed, refsChanged) = await RekeyPatientRefsAsync(access, progress, cancellationToken);
        var (documents, documentsRekeyed) = await RekeyGoodFaithEstimatesAsync(access, progress, cancellationToken);
        var (reasons, reasonsRekeyed) = await RekeyConsentReasonsAsync(access, progress, cancellationToken);
        var (_, authorizationsRekeyed) = await RekeyBlobsAsync(
            "authorizations", "payload_cipher", Features.Authorizations.AuthorizationStore.PayloadColumn, AuditRecordTypes.Authorization, "authorisations", access, progress, cancellationToken);
        var (completions, completionsRekeyed) = await RekeyBlobsAsync(
            "verification_completions", "completion_cipher", Features.Verifications.Completions.CompletionService.CompletionColumn,
            AuditRecordTypes.Completion, "verification completions", access, progress, cancellationToken);
        await RekeyBlobsAsync(
            "remittances", "payload_cipher", Features.Remittances.RemittanceStore.PayloadColumn, AuditRecordTypes.Remittance, "remittances", access, progress, cancellationToken);
        await RekeyBlobsAsync(
            "intake_requests", "payload_cipher", Features.Intake.IntakeStore.PayloadColumn, Features.Intake.IntakeStore.RecordType, "website requests", access, progress, cancellationToken);
        return new PhiRekeyReport(read, rekeyed, memberKeys, changed + refsChanged, refs, refsRekeyed, documents, documentsRekeyed)
        {
            ConsentReasons = reasons,
            ConsentReasonsRekeyed = reasonsRekeyed,
            AuthorizationsRekeyed = authorizationsRekeyed,
            Completions = completions,
            CompletionsRekeyed = completionsRekeyed,
        };
    }

    private async Task<(int Read, int Rekeyed, int MemberKeys, int Changed)> RekeyVerificationsAsync(
        AccessContext access, PhiProtector? lookup, Action<string>? progress, CancellationToken cancellationToken)
    {
        int read = 0, rekeyed = 0, memberKeys = 0, changed = 0;
        var after = Guid.Empty;
        const string sqlServer = """
            SELECT TOP (@limit) id AS Id, member_key AS MemberKey, (SELECT r.patient_ref_key FROM dbo.verification_patient_refs r WHERE r.verification_id = dbo.verifications.id) AS PatientRefKey, payload_cipher AS PayloadCipher, result_cipher AS ResultCipher
            FROM dbo.verifications WHERE id > @after ORDER BY id
            """;
        const string sqlite = """
            SELECT id AS Id, member_key AS MemberKey, (SELECT r.patient_ref_key FROM verification_patient_refs r WHERE r.verification_id = verifications.id) AS PatientRefKey, payload_cipher AS PayloadCipher, result_cipher AS ResultCipher
            FROM verifications WHERE id > @after ORDER BY id LIMIT @limit
            """;
        while (true)
        {
            var chunk = await ReadChunkAsync<StoredVerification>(sqlServer, sqlite, new { after, limit = ChunkSize }, cancellationToken);
            if (chunk.Count == 0)
            {
                break;
            }

            read += chunk.Count;
            after = chunk[^1].Id;
            var updates = new List<(StoredVerification Old, byte[] Payload, byte[]? Result, string MemberKey, string? PatientRefKey)>();
            foreach (var row in chunk)
            {
                var payloadOld = phi.IsUnderOlderKey(row.PayloadCipher);
                var resultOld = row.ResultCipher is { } r && phi.IsUnderOlderKey(r);
                if (!payloadOld && !resultOld && lookup is null)
                {
                    continue;
                }

                var payloadJson = phi.Unprotect(row.PayloadCipher, row.Id, VerificationStore.PayloadColumn);
                var memberKey = row.MemberKey;
                var patientRefKey = row.PatientRefKey;
                if (lookup is not null)
                {
                    var stored = VerificationJson.ReadPayload(payloadJson);
                    memberKey = lookup.MemberKey(stored.Insurance.PayerId, stored.Insurance.MemberId);
                    patientRefKey = string.IsNullOrWhiteSpace(stored.PatientRef) || stored.CarveOutOf is not null ? null : lookup.PatientRefKey(stored.PatientRef);
                }

                if (!payloadOld && !resultOld && memberKey == row.MemberKey && patientRefKey == row.PatientRefKey)
                {
                    continue;
                }

                var payload = payloadOld ? phi.Protect(payloadJson, row.Id, VerificationStore.PayloadColumn) : row.PayloadCipher;
                var result = resultOld
                    ? phi.Protect(phi.Unprotect(row.ResultCipher!, row.Id, VerificationStore.ResultColumn), row.Id, VerificationStore.ResultColumn)
                    : row.ResultCipher;
                updates.Add((row, payload, result, memberKey, patientRefKey));
            }

            if (updates.Count > 0)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
                var now = timeProvider.GetUtcNow();
                foreach (var (old, payload, result, memberKey, patientRefKey) in updates)
                {
                    // Only if the row still holds what was read; the service may have completed it meanwhile.
                    const string update = """
                        UPDATE verifications SET payload_cipher = @payload, result_cipher = @result, member_key = @memberKey
                        WHERE id = @id AND payload_cipher = @oldPayload
                          AND ((result_cipher IS NULL AND @oldResult IS NULL) OR result_cipher = @oldResult)
                        """;
                    var rows = await connection.ExecuteAsync(new CommandDefinition(
                        update,
                        new
                        {
                            id = old.Id,
                            payload,
                            result,
                            memberKey = Sql.Ansi(memberKey, 64),
                            oldPayload = old.PayloadCipher,
                            oldResult = old.ResultCipher,
                        },
                        write.Transaction,
                        cancellationToken: cancellationToken));
                    await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Rekey, AuditRecordTypes.Verification, old.Id.ToString(), now, cancellationToken);
                    if (rows == 0)
                    {
                        changed++;
                        continue;
                    }

                    if (patientRefKey != old.PatientRefKey)
                    {
                        // The billing reference's keyed hash follows the lookup key (and is filled for verifications stored before #19).
                        await connection.ExecuteAsync(new CommandDefinition(
                            "DELETE FROM verification_patient_refs WHERE verification_id = @id", new { id = old.Id }, write.Transaction, cancellationToken: cancellationToken));
                        if (patientRefKey is not null)
                        {
                            await connection.ExecuteAsync(new CommandDefinition(
                                "INSERT INTO verification_patient_refs (verification_id, patient_ref_key) VALUES (@id, @key)",
                                new { id = old.Id, key = Sql.Ansi(patientRefKey, 64) }, write.Transaction, cancellationToken: cancellationToken));
                        }
                    }

                    rekeyed += !ReferenceEquals(payload, old.PayloadCipher) || !ReferenceEquals(result, old.ResultCipher) ? 1 : 0;
                    memberKeys += memberKey != old.MemberKey ? 1 : 0;
                }

                await write.Transaction.CommitAsync(cancellationToken);
            }

            progress?.Invoke($"verifications: {read} read, {rekeyed} encrypted again, {memberKeys} lookup hashes recomputed");
        }

        return (read, rekeyed, memberKeys, changed);
    }

    private async Task<(int Read, int Rekeyed, int Changed)> RekeyPatientRefsAsync(
        AccessContext access, Action<string>? progress, CancellationToken cancellationToken)
    {
        int read = 0, rekeyed = 0, changed = 0;
        var (afterBatch, afterLine) = (Guid.Empty, -1);
        const string sqlServer = """
            SELECT TOP (@limit) batch_id AS BatchId, line_number AS Line, patient_ref AS PatientRef
            FROM dbo.batch_rows
            WHERE patient_ref LIKE 'phi1:%' AND (batch_id > @afterBatch OR (batch_id = @afterBatch AND line_number > @afterLine))
            ORDER BY batch_id, line_number
            """;
        const string sqlite = """
            SELECT batch_id AS BatchId, line_number AS Line, patient_ref AS PatientRef
            FROM batch_rows
            WHERE patient_ref LIKE 'phi1:%' AND (batch_id > @afterBatch OR (batch_id = @afterBatch AND line_number > @afterLine))
            ORDER BY batch_id, line_number LIMIT @limit
            """;
        while (true)
        {
            var chunk = await ReadChunkAsync<StoredPatientRef>(sqlServer, sqlite, new { afterBatch, afterLine, limit = ChunkSize }, cancellationToken);
            if (chunk.Count == 0)
            {
                break;
            }

            read += chunk.Count;
            (afterBatch, afterLine) = (chunk[^1].BatchId, chunk[^1].Line);
            var updates = new List<(StoredPatientRef Old, string Value)>();
            foreach (var row in chunk)
            {
                var cipher = Convert.FromBase64String(row.PatientRef[BatchStore.PatientRefPrefix.Length..]);
                if (phi.IsUnderOlderKey(cipher))
                {
                    var column = BatchStore.PatientRefColumnOf(row.Line);
                    var again = phi.Protect(phi.Unprotect(cipher, row.BatchId, column), row.BatchId, column);
                    updates.Add((row, BatchStore.PatientRefPrefix + Convert.ToBase64String(again)));
                }
            }

            if (updates.Count > 0)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
                var now = timeProvider.GetUtcNow();
                foreach (var (old, value) in updates)
                {
                    const string update = "UPDATE batch_rows SET patient_ref = @value WHERE batch_id = @batchId AND line_number = @line AND patient_ref = @old";
                    var rows = await connection.ExecuteAsync(new CommandDefinition(
                        update,
                        new { value, batchId = old.BatchId, line = old.Line, old = old.PatientRef },
                        write.Transaction,
                        cancellationToken: cancellationToken));
                    rekeyed += rows;
                    changed += 1 - rows;
                }

                // One entry per batch touched in this chunk: its rows' patient_refs were decrypted.
                foreach (var batch in updates.Select(u => u.Old.BatchId).Distinct())
                {
                    await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Rekey, AuditRecordTypes.Batch, batch.ToString(), now, cancellationToken);
                }

                await write.Transaction.CommitAsync(cancellationToken);
            }

            progress?.Invoke($"census patient_refs: {read} read, {rekeyed} encrypted again");
        }

        return (read, rekeyed, changed);
    }

    // Issued documents are never changed otherwise (the database refuses it); their ciphertext may be rewritten.
    private Task<(int Read, int Rekeyed)> RekeyGoodFaithEstimatesAsync(AccessContext access, Action<string>? progress, CancellationToken cancellationToken) =>
        RekeyBlobsAsync("good_faith_estimates", "document_cipher", GoodFaithEstimateStore.DocumentColumn, AuditRecordTypes.GoodFaithEstimate, "good faith estimates", access, progress, cancellationToken);

    private Task<(int Read, int Rekeyed)> RekeyConsentReasonsAsync(AccessContext access, Action<string>? progress, CancellationToken cancellationToken) =>
        RekeyBlobsAsync("consents", "revocation_reason_cipher", ConsentStore.ReasonColumn, AuditRecordTypes.Consent, "consent revocation notes", access, progress, cancellationToken);

    /// <summary>
    /// Encrypts again, under the current key, every value of one ciphertext column (keyed by a GUID <c>id</c>) still
    /// under an older key; each row only if it still holds what was read, each with an audit entry.
    /// </summary>
    private async Task<(int Read, int Rekeyed)> RekeyBlobsAsync(
        string table, string column, string associatedColumn, string recordType, string what,
        AccessContext access, Action<string>? progress, CancellationToken cancellationToken)
    {
        int read = 0, rekeyed = 0;
        var after = Guid.Empty;
        var sqlServer = $"SELECT TOP (@limit) id AS Id, {column} AS Cipher FROM dbo.{table} WHERE id > @after AND {column} IS NOT NULL ORDER BY id";
        var sqlite = $"SELECT id AS Id, {column} AS Cipher FROM {table} WHERE id > @after AND {column} IS NOT NULL ORDER BY id LIMIT @limit";
        var update = $"UPDATE {table} SET {column} = @again WHERE id = @id AND {column} = @old";
        while (true)
        {
            var chunk = await ReadChunkAsync<StoredBlob>(sqlServer, sqlite, new { after, limit = ChunkSize }, cancellationToken);
            if (chunk.Count == 0)
            {
                break;
            }

            read += chunk.Count;
            after = chunk[^1].Id;
            var updates = chunk.Where(row => phi.IsUnderOlderKey(row.Cipher)).ToList();
            if (updates.Count > 0)
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
                var now = timeProvider.GetUtcNow();
                foreach (var row in updates)
                {
                    var again = phi.ProtectBytes(phi.UnprotectBytes(row.Cipher, row.Id, associatedColumn), row.Id, associatedColumn);
                    rekeyed += await connection.ExecuteAsync(new CommandDefinition(
                        update, new { again, id = row.Id, old = row.Cipher }, write.Transaction, cancellationToken: cancellationToken));
                    await AuditStore.AppendAsync(connection, write.Transaction, access, AuditActions.Rekey, recordType, row.Id.ToString(), now, cancellationToken);
                }

                await write.Transaction.CommitAsync(cancellationToken);
            }

            progress?.Invoke($"{what}: {read} read, {rekeyed} encrypted again");
        }

        return (read, rekeyed);
    }

    // One page of a keyset walk: the next rows after the last one read, at most ChunkSize.
    private async Task<IReadOnlyList<T>> ReadChunkAsync<T>(string sqlServer, string sqlite, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = database.Dialect == DatabaseProvider.SqlServer ? sqlServer : sqlite;
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }

    private sealed record StoredBlob
    {
        public Guid Id { get; init; }
        public byte[] Cipher { get; init; } = [];
    }

    private sealed record StoredVerification
    {
        public Guid Id { get; init; }
        public string MemberKey { get; init; } = "";
        public string? PatientRefKey { get; init; }
        public byte[] PayloadCipher { get; init; } = [];
        public byte[]? ResultCipher { get; init; }
    }

    private sealed record StoredPatientRef
    {
        public Guid BatchId { get; init; }
        public int Line { get; init; }
        public string PatientRef { get; init; } = "";
    }
}
