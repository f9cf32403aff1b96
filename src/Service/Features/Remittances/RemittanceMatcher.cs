using CoverageCheck.Clients.Remittances;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Dapper;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>The verification a claim belongs to, and by what.</summary>
internal sealed record ClaimMatch(Guid VerificationId, string MatchedBy);

/// <summary>
/// Finds the verification a remittance claim belongs to (http-api.md "Remittances", issue #19): by the patient control
/// number the program bills with (CLP01 = a census <c>patient_ref</c> or a verification's <c>patientRef</c>, through
/// its keyed hash), else by the member ID on the claim (NM1*QC/IL) and the service dates, through the member's keyed
/// hash. Only completed verifications (they hold an estimate) are candidates; of a patient's, the first whose program
/// covers the claim's first service date (the estimate the patient was given before those days). By member ID a claim
/// matches only when exactly one patient's program covers its dates: an ambiguous claim stays unmatched, never guessed.
/// </summary>
internal sealed class RemittanceMatcher(IDbConnectionFactory database, PhiProtector phi, VerificationStore verifications, PayerDirectory payers)
{
    internal const string ByPatientControlNumber = "patient-control-number";
    internal const string ByMemberId = "member-id";

    private sealed record Candidate
    {
        public Guid Id { get; init; }
        public string MemberKey { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateOnly? ProgramEnd { get; init; }
    }

    public async Task<ClaimMatch?> MatchAsync(RemittanceClaim claim, RemittanceClaimDto read, string? payerId, string? payerAdditionalId, AccessContext access, CancellationToken cancellationToken)
    {
        var serviceFrom = read.ServiceFrom;
        if (!string.IsNullOrWhiteSpace(claim.PatientControlNumber))
        {
            var byReference = await CandidatesAsync("id IN (SELECT verification_id FROM verification_patient_refs WHERE patient_ref_key = @key)", new { key = Sql.Ansi(phi.PatientRefKey(claim.PatientControlNumber), 64) }, cancellationToken);
            if (await ChooseAsync(byReference, serviceFrom, access, cancellationToken) is { } id)
            {
                return new ClaimMatch(id, ByPatientControlNumber);
            }
        }

        if (string.IsNullOrWhiteSpace(claim.MemberId) || serviceFrom is null)
        {
            return null;
        }

        // The 835 names its payer by its own identifier (N1*PR N104, REF*2U); the member's key needs ours, so every payer
        // we know is tried with the member ID, and the payer's own identifiers too.
        var payerIds = payers.All.Select(p => p.Id)
            .Concat(new[] { payerId, payerAdditionalId }.OfType<string>())
            .Where(id => id.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var keys = payerIds.Select(id => phi.MemberKey(id, claim.MemberId)).ToList();
        var byMember = await CandidatesAsync("member_key IN @keys", new { keys }, cancellationToken);
        var covering = new List<(Candidate Candidate, VerificationRecord Record)>();
        foreach (var candidate in byMember.Where(c => c.ProgramEnd is null || c.ProgramEnd >= serviceFrom))
        {
            if (await verifications.GetAsync(candidate.Id, access, cancellationToken) is { } record && Covers(record, serviceFrom.Value))
            {
                covering.Add((candidate, record));
            }
        }

        return covering.Select(c => c.Candidate.MemberKey).Distinct(StringComparer.Ordinal).Count() == 1
            ? new ClaimMatch(covering.OrderBy(c => c.Candidate.CreatedAt).ThenBy(c => c.Candidate.Id).First().Candidate.Id, ByMemberId)
            : null;
    }

    private async Task<Guid?> ChooseAsync(IReadOnlyList<Candidate> candidates, DateOnly? serviceFrom, AccessContext access, CancellationToken cancellationToken)
    {
        if (candidates.Count == 0)
        {
            return null;
        }

        if (serviceFrom is { } date)
        {
            foreach (var candidate in candidates.Where(c => c.ProgramEnd is null || c.ProgramEnd >= date))
            {
                if (await verifications.GetAsync(candidate.Id, access, cancellationToken) is { } record && Covers(record, date))
                {
                    return candidate.Id;
                }
            }

            // The patient is ours by the reference the program bills with; no program on file covers the date (a
            // re-admission billed under the same reference): the latest verification made before the day.
            var before = candidates.Where(c => DateOnly.FromDateTime(c.CreatedAt.UtcDateTime) <= date).ToList();
            return before.Count > 0 ? before[^1].Id : candidates[0].Id;
        }

        return candidates[0].Id;
    }

    private static bool Covers(VerificationRecord record, DateOnly date)
    {
        var program = VerificationJson.ReadPayload(record.PayloadJson).Program;
        return program is null || (program.StartDate <= date && date <= program.End);
    }

    private async Task<IReadOnlyList<Candidate>> CandidatesAsync(string where, object parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var sql = $"""
            SELECT id AS Id, member_key AS MemberKey, created_at AS CreatedAt, program_end AS ProgramEnd
            FROM verifications
            WHERE {where} AND status = 'completed'
            ORDER BY created_at, id
            """;
        return [.. await connection.QueryAsync<Candidate>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken))];
    }
}
