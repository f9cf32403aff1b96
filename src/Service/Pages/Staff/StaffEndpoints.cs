using System.Security.Claims;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>The staff pages' non-HTML endpoint: the status a pending result page polls.</summary>
internal static class StaffEndpoints
{
    /// <summary>What the pending page's script compares: no PHI, only the state.</summary>
    internal sealed record StatusResponse(string Status, int Attempts, DateTimeOffset? CheckedAt);

    public static async Task<Results<Ok<StatusResponse>, NotFound>> StatusAsync(
        Guid id, ClaimsPrincipal user, VerificationStore store, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, AccessContext.For(user, "staff page: result status"), cancellationToken);
        return record is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new StatusResponse(record.Status, record.Attempts, record.CheckedAt));
    }
}
