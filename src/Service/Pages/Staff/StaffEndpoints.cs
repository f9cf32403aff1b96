using CoverageCheck.Service.Features.Verifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>The staff pages' non-HTML endpoint: the status a pending result page polls.</summary>
internal static class StaffEndpoints
{
    /// <summary>What the pending page's script compares: no PHI, only the state.</summary>
    internal sealed record StatusResponse(string Status, int Attempts, DateTimeOffset? CheckedAt);

    /// <summary>
    /// Polled every 2.5 s by a pending result page: it reads no PHI, so it writes no audit row (the page's one view
    /// was audited when it was shown, and the reload on a change is audited as a view again).
    /// </summary>
    public static async Task<Results<Ok<StatusResponse>, NotFound>> StatusAsync(
        Guid id, VerificationStore store, CancellationToken cancellationToken)
    {
        var state = await store.GetStateAsync(id, cancellationToken);
        return state is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new StatusResponse(state.Status, state.Attempts, state.CheckedAt));
    }
}
