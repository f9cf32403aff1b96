using System.Security.Claims;
using CoverageCheck.Service.Features.CarveOuts;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// How the staff pages read verifications: always through <see cref="VerificationStore.GetAsync"/> with the signed-in
/// staff member as the audited actor, and a purpose that says which page read it.
/// </summary>
internal sealed class StaffVerifications(VerificationStore store, ConsentStore consents, CarveOutFollower carveOuts, PayerDirectory payers)
{
    public async Task<VerificationView?> GetAsync(Guid id, ClaimsPrincipal user, string purpose, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, AccessContext.For(user, purpose), cancellationToken);
        return record is null
            ? null
            : View(await carveOuts.WithLiveStatusAsync(VerificationResponse.From(record, await consents.DescribeAsync(record.ConsentId, cancellationToken)), cancellationToken));
    }

    public VerificationView View(VerificationResponse response)
    {
        var payerName = response.Payer?.Name ?? payers.Find(response.Payer?.Id ?? "")?.Name;
        return new VerificationView(response, payerName);
    }
}

/// <summary>What the result, print and PDF pages show about one verification.</summary>
internal sealed record VerificationView(VerificationResponse Response, string? PayerName)
{
    public EstimateResponse? Estimate => Response.Estimate;

    public Guid Id => Response.Id;

    public bool IsPending => Response.Status is VerificationStatus.Queued or VerificationStatus.InProgress;

    /// <summary>The banner: active, inactive, needs-review, pending or failed.</summary>
    public string Banner => BannerOf(Response.Status, Response.Coverage, Response.Program);

    /// <summary>The payer's coverage ends on or before the program's last day (the days after it are the patient's).</summary>
    public bool EndsDuringProgram => EndsDuring(Response.Coverage, Response.Program);

    /// <summary>One rule for the result page's banner and the work queue's outcome.</summary>
    public static string BannerOf(string status, CoverageCheck.Clients.Eligibility.NormalizedCoverage? coverage, ProgramInfo? program) => status switch
    {
        VerificationStatus.Queued or VerificationStatus.InProgress => "pending",
        VerificationStatus.NeedsReview => "needs-review",
        VerificationStatus.Failed => "failed",
        _ when coverage is { CarveOut: not null, BenefitsFrom: null } => "carve-out",
        _ when coverage?.NoMedicalCoverageStated == true => "no-medical",
        _ when coverage?.Active == true && EndsDuring(coverage, program) => "ends-mid-program",
        _ when coverage?.Active == true => "active",
        _ when coverage?.Active == false => "inactive",
        _ => "needs-review",
    };

    private static bool EndsDuring(CoverageCheck.Clients.Eligibility.NormalizedCoverage? coverage, ProgramInfo? program) =>
        coverage?.CoverageEnds is { } ends && program is { } planned && ends < planned.End;

    /// <summary>The patient pays for themself: coverage is inactive or the payer found none.</summary>
    public bool IsSelfPay =>
        !IsPending
        && (Response.Coverage?.Active == false
            || (Response.Coverage is null && Response.Errors.Any(error => error.Code is "75"))
            || Estimate?.Warnings.Contains("self-pay") == true
            || Estimate?.Warnings.Contains("coverage-inactive") == true);
}
