namespace CoverageCheck.Estimator;

/// <summary>The payer's decision on an authorisation request for the program.</summary>
public enum AuthorizationStatus
{
    /// <summary>Asked for, not yet decided: the split shows what the estimate would be if it is approved as asked.</summary>
    Requested,

    /// <summary>Approved for <see cref="Authorization.Days"/> sessions between its dates.</summary>
    Approved,

    /// <summary>Approved for fewer days than asked: <see cref="Authorization.Days"/> is what was approved.</summary>
    Partial,

    /// <summary>Refused: it authorises no session.</summary>
    Denied,
}

/// <summary>
/// One authorisation for the program (an initial authorisation, or a concurrent-review extension): up to
/// <see cref="Days"/> sessions on or between <see cref="EffectiveDate"/> and <see cref="ExpirationDate"/>.
/// </summary>
/// <param name="Status">The payer's decision.</param>
/// <param name="Days">Sessions authorised, 0 to 366.</param>
/// <param name="EffectiveDate">The first day it covers.</param>
/// <param name="ExpirationDate">The last day it covers; not before <paramref name="EffectiveDate"/>.</param>
public sealed record Authorization(AuthorizationStatus Status, int Days, DateOnly EffectiveDate, DateOnly ExpirationDate);

/// <summary>
/// The program split by its authorisations (<c>estimate.authorization</c>). The estimate's totals stay those of the
/// whole program as if every session were authorised, which is <see cref="PatientIfExtended"/>.
/// </summary>
/// <param name="SessionsAuthorized">Sessions an authorisation covers: each authorisation that is not denied takes, in date order, the sessions on or between its dates that no earlier one took, up to its days.</param>
/// <param name="SessionsBeyond">The other sessions (all of them when every authorisation is denied).</param>
/// <param name="PatientWithinAuthorization">What the patient pays for the authorised sessions: the sum of their ledger amounts.</param>
/// <param name="PatientIfExtended">What the patient pays for the whole program if the authorisation is extended to every session: the estimate's patient total.</param>
public sealed record AuthorizationSplit(int SessionsAuthorized, int SessionsBeyond, decimal PatientWithinAuthorization, decimal PatientIfExtended);

/// <summary>Splits a priced ledger by its authorisations; see <see cref="AuthorizationSplit"/>.</summary>
internal static class AuthorizationSplitter
{
    /// <summary>The split, and the warnings it raises: <c>authorization-denied</c> when any authorisation is denied, <c>beyond-authorization</c> when a session is beyond every authorisation that is not denied.</summary>
    public static (AuthorizationSplit Split, IReadOnlyList<string> Warnings) Split(
        IReadOnlyList<SessionEstimate> sessions, IReadOnlyList<Authorization> authorizations, decimal patientTotal)
    {
        var taken = new bool[sessions.Count];
        var authorized = 0;
        var within = 0m;
        foreach (var authorization in authorizations
                     .Where(a => a.Status != AuthorizationStatus.Denied)
                     .OrderBy(a => a.EffectiveDate)
                     .ThenBy(a => a.ExpirationDate))
        {
            var left = authorization.Days;
            for (var i = 0; i < sessions.Count && left > 0; i++)
            {
                var date = sessions[i].Date;
                if (!taken[i] && date >= authorization.EffectiveDate && date <= authorization.ExpirationDate)
                {
                    taken[i] = true;
                    left--;
                    authorized++;
                    within += sessions[i].Patient;
                }
            }
        }

        var warnings = new List<string>(2);
        var anyDenied = authorizations.Any(a => a.Status == AuthorizationStatus.Denied);
        if (anyDenied)
        {
            warnings.Add(EstimateWarnings.AuthorizationDenied);
        }

        var beyond = sessions.Count - authorized;
        if (beyond > 0 && authorizations.Any(a => a.Status != AuthorizationStatus.Denied))
        {
            warnings.Add(EstimateWarnings.BeyondAuthorization);
        }

        return (new AuthorizationSplit(authorized, beyond, within, patientTotal), warnings);
    }
}
