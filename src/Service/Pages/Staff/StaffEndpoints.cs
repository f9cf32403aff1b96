using System.Security.Claims;
using CoverageCheck.Service.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>The staff pages' non-HTML endpoints: the status a pending result page polls, and issued Good Faith Estimates.</summary>
internal static class StaffEndpoints
{
    /// <summary>What the pending page's script compares: no PHI, only the state.</summary>
    internal sealed record StatusResponse(string Status, int Attempts, DateTimeOffset? CheckedAt);

    public static async Task<Results<Ok<StatusResponse>, NotFound>> StatusAsync(
        Guid id, ClaimsPrincipal user, VerificationStore store, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, StaffVerifications.Access(user, "staff page: result status"), cancellationToken);
        return record is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new StatusResponse(record.Status, record.Attempts, record.CheckedAt));
    }

    /// <summary>A Good Faith Estimate exactly as it was issued (the read is audited).</summary>
    public static async Task<Results<FileContentHttpResult, NotFound>> GoodFaithEstimateAsync(
        Guid id, ClaimsPrincipal user, GoodFaithEstimateStore estimates, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var issued = await estimates.GetAsync(id, StaffVerifications.Access(user, "staff page: good faith estimate"), timeProvider.GetUtcNow(), cancellationToken);

        // The file holds the patient's name and date of birth: the id alone names it, and it is never cached.
        return issued is { } found
            ? TypedResults.File(found.Pdf, "application/pdf", $"good-faith-estimate-{id:N}.pdf")
            : TypedResults.NotFound();
    }
}
