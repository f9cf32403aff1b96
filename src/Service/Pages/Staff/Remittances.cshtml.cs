using CoverageCheck.Service.Features.Remittances;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// Finance's remittances (<c>/staff/finance/remittances</c>): upload an 835 (the same file again opens the first
/// upload), the latest uploads, and one upload's claims, matched and unmatched (<c>?id=</c>).
/// </summary>
internal sealed class RemittancesModel(RemittanceService service, RemittanceStore store, PayerDirectory payers, ProgramTime time) : PageModel
{
    /// <summary>Far above a month of 835s for a program; the API takes the same.</summary>
    private const long MaxUpload = RemittancesApi.MaxBodyBytes;

    public IReadOnlyList<RemittanceSummary> Recent { get; private set; } = [];

    public RemittanceResponse? Selected { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public string? Message { get; private set; }

    public ProgramTime Time => time;

    public string PayerName(string? payerId) => payerId is null ? "Unknown payer" : payers.Find(payerId)?.Name ?? payerId;

    public async Task<IActionResult> OnGetAsync(Guid? id, string? again, CancellationToken cancellationToken)
    {
        if (id is { } selected)
        {
            Selected = await store.GetAsync(selected, AccessContext.For(User, "staff page: remittance"), cancellationToken);
            if (Selected is null)
            {
                return NotFound();
            }

            Message = again is null ? null : "This file was uploaded before: here is the first upload. Nothing was counted twice.";
        }

        Recent = await store.ListAsync(25, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? remittance, CancellationToken cancellationToken)
    {
        if (remittance is null || remittance.Length == 0)
        {
            Errors = ["Choose the 835 file the payer or clearinghouse sent."];
        }
        else if (remittance.Length > MaxUpload)
        {
            Errors = [$"The file is larger than {MaxUpload / (1024 * 1024)} MB: upload it in parts."];
        }
        else
        {
            using var reader = new StreamReader(remittance.OpenReadStream());
            var upload = await service.UploadAsync(await reader.ReadToEndAsync(cancellationToken), AccessContext.For(User, "staff page: upload a remittance"), cancellationToken);
            if (upload.Remittance is { } stored)
            {
                return upload.Created ? RedirectToPage(new { id = stored.Id }) : RedirectToPage(new { id = stored.Id, again = 1 });
            }

            Errors = ["The file could not be read as an 835.", .. upload.Errors.Take(10)];
        }

        Recent = await store.ListAsync(25, cancellationToken);
        return Page();
    }
}
