using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Remittances;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// Finance's census batches (<c>/staff/finance/batches</c>): upload a census, the latest batches with their progress,
/// and one batch (<c>?id=</c>): its rows by status, its progress and ETA, the report to download (CSV, Excel, HTML),
/// and, with the built-in sandbox, the sandbox payer's 835 for it.
/// </summary>
internal sealed class BatchesModel(BatchService service, BatchStore store, SandboxRemittanceIssuer sandbox, ProgramTime time) : PageModel
{
    public IReadOnlyList<BatchRecord> Recent { get; private set; } = [];

    public BatchState? Selected { get; private set; }

    public BatchSubmission? Submitted { get; private set; }

    public string? SelectedName { get; private set; }

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public bool SandboxAvailable => sandbox.Available;

    public ProgramTime Time => time;

    public string PayerLabel(string payerId) => service.PayerLabel(payerId);

    /// <summary>The last day the sandbox is asked to remit: today, or the program's first week when it has not started.</summary>
    public string SandboxThrough => time.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(Guid? id, CancellationToken cancellationToken)
    {
        if (id is { } selected)
        {
            Selected = await service.GetStateAsync(selected, cancellationToken);
            if (Selected is null)
            {
                return NotFound();
            }

            SelectedName = await store.NameAsync(selected, cancellationToken);
        }

        Recent = await store.ListRecentAsync(25, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(IFormFile? census, CancellationToken cancellationToken)
    {
        if (census is null || census.Length == 0)
        {
            Errors = ["Choose the census CSV (patient_ref, first_name, last_name, date_of_birth, payer_id, member_id, group_number, program_start, days_per_week, weeks, charge_per_day, consent_method, consent_date)."];
        }
        else if (census.Length > BatchesApi.MaxCensusBytes)
        {
            Errors = [$"The census is larger than {BatchesApi.MaxCensusBytes / (1024 * 1024)} MB: split it into several batches."];
        }
        else
        {
            await using var stream = census.OpenReadStream();
            var submission = await service.SubmitAsync(stream, AccessContext.For(User, "staff page: upload a census"), idempotencyKey: null, cancellationToken);
            if (submission.FileError is { } fileError)
            {
                Errors = [$"Line {fileError.Line}: {fileError.Reason}"];
            }
            else if (submission.BatchId is not { } batchId)
            {
                Errors = ["The census has no rows."];
            }
            else
            {
                // Named after the file: its report's changes are against the last run of the same census.
                await store.SetNameAsync(batchId, census.FileName, CancellationToken.None);
                if (submission.Rejected == 0)
                {
                    return RedirectToPage(new { id = batchId });
                }

                Submitted = submission;
                Selected = await service.GetStateAsync(batchId, cancellationToken);
                SelectedName = BatchNames.Normalize(census.FileName);
            }
        }

        Recent = await store.ListRecentAsync(25, cancellationToken);
        return Page();
    }
}
