using System.Security.Claims;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Verifications;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>The staff pages' non-HTML endpoints: the status a pending result page polls, and the Good Faith Estimate PDF.</summary>
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

    public static async Task<Results<FileContentHttpResult, NotFound, ProblemHttpResult>> GoodFaithEstimateAsync(
        Guid id, ClaimsPrincipal user, VerificationStore store, GoodFaithEstimateDocument document, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, StaffVerifications.Access(user, "staff page: good faith estimate"), cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound();
        }

        byte[] pdf;
        try
        {
            pdf = document.Write(VerificationPayloadJson.Read(record.PayloadJson));
        }
        catch (PdfFontsMissingException ex)
        {
            loggers.CreateLogger(typeof(StaffEndpoints)).LogError("A Good Faith Estimate could not be written: {Reason}", ex.Message);
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "The PDF cannot be made on this server.");
        }

        // The file holds the patient's name and date of birth: the id alone names it, and it is never cached.
        return TypedResults.File(pdf, "application/pdf", $"good-faith-estimate-{id:N}.pdf");
    }
}
