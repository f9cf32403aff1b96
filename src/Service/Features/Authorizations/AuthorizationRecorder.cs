using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Authorizations;

/// <summary>
/// Records an authorisation on a verification and re-prices its estimate with every current authorisation: the one
/// path of the API and the staff result page.
/// </summary>
internal sealed class AuthorizationRecorder(
    VerificationStore verifications,
    AuthorizationStore authorizations,
    ContractStore contracts,
    PayerDirectory payers,
    VerificationEstimator estimator)
{
    /// <summary>The authorisation as recorded, or null when there is no such verification.</summary>
    public async Task<AuthorizationResponse?> RecordAsync(Guid verificationId, NewAuthorization authorization, AccessContext access, CancellationToken cancellationToken)
    {
        // Another write (a completion, a second authorisation) may change the verification between the read and the
        // write: then it is read and re-priced again, a few times.
        for (var attempt = 1; ; attempt++)
        {
            var record = await verifications.GetAsync(verificationId, access, cancellationToken);
            if (record is null)
            {
                return null;
            }

            var resultJson = await RepricedAsync(record, authorization, cancellationToken);
            var (created, conflict) = await authorizations.InsertAsync(verificationId, authorization, resultJson, record.Version, access, cancellationToken);
            if (!conflict)
            {
                return created;
            }

            if (attempt == 3)
            {
                throw new InvalidOperationException("The verification kept changing while the authorisation was recorded.");
            }
        }
    }

    /// <summary>
    /// The verification's result with its estimate priced again with the current authorisations and the new one, with
    /// the contract it matched (as that contract stands now; none if it was deleted); null when there is no estimate
    /// to re-price (no program, not finished, or no benefits).
    /// </summary>
    private async Task<string?> RepricedAsync(VerificationRecord record, NewAuthorization added, CancellationToken cancellationToken)
    {
        var payload = VerificationJson.ReadPayload(record.PayloadJson);
        if (record.Status != VerificationStatus.Completed || payload.Program is null
            || VerificationJson.ReadResult(record.ResultJson) is not { Coverage: { } coverage, Estimate: not null } result)
        {
            return null;
        }

        var contract = result.Contract is { } matched && await contracts.GetAsync(matched.Id, cancellationToken) is { } current
            ? new ContractMatchResult(current, matched.MatchedOn)
            : null;

        // The current record of each number on file, except one the new record supersedes (the same number, compared
        // on the decrypted numbers as number_key compares them), then the new one.
        var all = (await authorizations.ListAsync(record.Id, cancellationToken))
            .Where(a => a.SupersededBy is null && !string.Equals(a.Number.Trim(), added.Secret.Number.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(a => new Estimator.Authorization(AuthorizationStatuses.ToEstimator(a.Status), a.Days, a.EffectiveDate, a.ExpirationDate))
            .Append(new Estimator.Authorization(AuthorizationStatuses.ToEstimator(added.Status), added.Days, added.EffectiveDate, added.ExpirationDate))
            .ToList();
        // A followed carve-out's figures are the administrator's: our network status is the one with it (#16).
        var (estimate, _) = estimator.Estimate(payload, coverage, payers.Find(coverage.BenefitsFrom?.PayerId ?? payload.Insurance.PayerId), contract, all);
        return VerificationJson.Write(result with { Estimate = estimate });
    }
}
