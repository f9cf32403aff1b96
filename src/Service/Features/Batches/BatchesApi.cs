using System.Security.Claims;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>Finance's census batches: <c>/api/v1/batches</c>.</summary>
internal static class BatchesApi
{
    public static RouteGroupBuilder MapBatchesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/batches")
            .WithTags("Batches")
            .RequireAuthorization(Policies.Batches);

        group.MapPost("/", CreateAsync)
            .Accepts(typeof(string), "text/csv", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(MaxCensusBytes), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxCensusBytes })
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .WithSummary("Upload a census (CSV): each valid row is queued as a verification; bad rows are reported with line and reason.");
        group.MapGet("/{id:guid}", GetAsync)
            .WithSummary("A batch's rows by status, progress and estimated completion.");
        group.MapGet("/{id:guid}/report.{format}", GetReportAsync)
            .WithSummary("The batch report as report.csv, report.xlsx or report.html: one row per census row, in input order.");
        return group;
    }

    /// <summary>A census upload at most (about 150,000 rows); a larger body is answered 413.</summary>
    internal const int MaxCensusBytes = 16 * 1024 * 1024;

    // name: the census's name (#19); a multipart upload's file name when not given. A report's changes are against the
    // last batch of the same name; an unnamed batch is compared with none.
    internal static async Task<Results<Accepted<BatchCreatedResponse>, Ok<BatchCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, BatchService batches, BatchStore store, CancellationToken cancellationToken, string? name = null)
    {
        if (request.ContentLength > MaxCensusBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The census is too large.",
                detail: $"A census of at most {MaxCensusBytes / (1024 * 1024)} MB is accepted; split it into several batches.");
        }

        Stream census;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            var file = form.Files.GetFile("census") ?? form.Files.FirstOrDefault();
            if (file is null)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["census"] = ["Attach the census CSV as a file field named \"census\"."] },
                    title: "No census file.");
            }

            census = file.OpenReadStream();
            name ??= file.FileName;
        }
        else if (request.ContentType is { } contentType
                 && (contentType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)))
        {
            census = request.Body;
        }
        else
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Send the census as text/csv or as a multipart/form-data upload.");
        }

        await using (census)
        {
            var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
            if (idempotencyKey.Length > 200)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["Idempotency-Key"] = ["At most 200 characters."] }, title: "The Idempotency-Key header is too long.");
            }

            var submission = await batches.SubmitAsync(
                census, AccessContext.For(user, "batch census upload"), idempotencyKey.Length == 0 ? null : idempotencyKey, cancellationToken);
            if (submission.FileError is { } fileError)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["census"] = [$"Line {fileError.Line}: {fileError.Reason}"] },
                    title: "The census cannot be read.",
                    type: "https://coveragecheck/problems/census-" + fileError.Code);
            }

            if (submission.BatchId is not { } id)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]> { ["census"] = ["The census has a header but no rows."] },
                    title: "The census is empty.");
            }

            // The census it ran, for the report's changes since its last run (#19).
            await store.SetNameAsync(id, name, CancellationToken.None);

            var created = new BatchCreatedResponse(
                id,
                BatchStatus.Running,
                submission.Accepted,
                submission.Rejected,
                [.. submission.Errors.Select(e => new BatchRowErrorResponse(e.Line, e.PatientRef, e.Code, e.Reason))]);
            if (submission.Replayed)
            {
                // The first upload with this Idempotency-Key: its batch, not a second one (its status now is GET's to say).
                request.HttpContext.Response.Headers.Location = $"/api/v1/batches/{id}";
                return TypedResults.Ok(created);
            }

            return TypedResults.Accepted($"/api/v1/batches/{id}", created);
        }
    }

    internal static async Task<Results<Ok<BatchStatusResponse>, NotFound>> GetAsync(Guid id, BatchService batches, CancellationToken cancellationToken)
    {
        var state = await batches.GetStateAsync(id, cancellationToken);
        return state is null ? TypedResults.NotFound() : TypedResults.Ok(BatchStatusResponse.From(state, batches));
    }

    internal static async Task<Results<PushStreamHttpResult, NotFound, ValidationProblem>> GetReportAsync(
        Guid id, string format, ClaimsPrincipal user, BatchService batches, CancellationToken cancellationToken)
    {
        if (!BatchReportWriters.TryParseFormat(format, out var reportFormat))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["format"] = ["The report comes as report.csv, report.xlsx or report.html."] });
        }

        var report = await batches.BuildReportAsync(id, AccessContext.For(user, "batch report"), cancellationToken);
        if (report is null)
        {
            return TypedResults.NotFound();
        }

        var writer = BatchReportWriters.For(reportFormat);
        return TypedResults.Stream(
            stream => writer.WriteAsync(report, stream, cancellationToken),
            writer.ContentType,
            $"batch-{id}{writer.FileExtension}");
    }

}

/// <summary>The answer to an upload: the batch, how many rows were queued and rejected, and every rejection.</summary>
internal sealed record BatchCreatedResponse(Guid Id, string Status, int Accepted, int Rejected, IReadOnlyList<BatchRowErrorResponse> Errors);

/// <summary>A rejected census row.</summary>
internal sealed record BatchRowErrorResponse(int Line, string? PatientRef, string Code, string Reason);

/// <summary>A batch's progress.</summary>
/// <param name="Id">The batch.</param>
/// <param name="Status">
/// <c>running</c> until every row has an answer or waits for a payer that could not answer, then <c>completed</c>
/// (rows still waiting for a payer are listed in <paramref name="Retrying"/> and finish on their own).
/// </param>
/// <param name="Rows">Census rows, rejected ones included.</param>
/// <param name="Counts">Rows per status: queued, in-progress, completed, failed, needs-review, rejected.</param>
/// <param name="Done">Rows with nothing left to do.</param>
/// <param name="PercentDone">0–100.</param>
/// <param name="EstimatedCompletion">When the rows the worker is asking should be done at their payers' pace; null when none is left or not yet known.</param>
/// <param name="CreatedAt">When the census was uploaded.</param>
/// <param name="CompletedAt">When the batch was marked completed.</param>
/// <param name="WaitingForPayer">Queued rows waiting because their payer could not answer (also in <c>counts.queued</c>).</param>
/// <param name="RetryingCount">Rows queued again after an attempt, whatever the reason.</param>
/// <param name="Retrying">Those rows (the first 100, in line order) with their payer and next try.</param>
/// <param name="Eta">The estimate in words, in program time (Program:TimeZone).</param>
/// <param name="Payers">Each payer's rows finished, pending and waiting, and its own estimate.</param>
internal sealed record BatchStatusResponse(
    Guid Id,
    string Status,
    int Rows,
    IReadOnlyDictionary<string, int> Counts,
    int Done,
    int PercentDone,
    DateTimeOffset? EstimatedCompletion,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int WaitingForPayer,
    int RetryingCount,
    IReadOnlyList<BatchRetryingRowResponse> Retrying,
    string Eta,
    IReadOnlyList<BatchPayerProgressResponse> Payers)
{
    public static BatchStatusResponse From(BatchState state, BatchService batches) => new(
        state.Batch.Id,
        state.Batch.Status,
        state.Progress.Total,
        state.Progress.Counts,
        state.Progress.Done,
        state.Progress.Percent,
        state.Progress.EstimatedCompletion,
        state.Batch.CreatedAt,
        state.Batch.CompletedAt,
        state.Progress.WaitingForPayer,
        state.RetryingCount,
        [.. state.Retrying.Select(r => new BatchRetryingRowResponse(
            r.Line, r.PayerId, batches.PayerLabel(r.PayerId), r.PayerDown ? "payer-unavailable" : "payer-asked-to-resubmit",
            r.Attempts, r.LastErrorCode, r.NextAttemptAt, batches.ProgramTimeOf(r.NextAttemptAt)))],
        state.Eta,
        [.. (state.Progress.Payers ?? []).Select(p => new BatchPayerProgressResponse(p.PayerId, p.Finished, p.Pending, p.WaitingForPayer, p.EstimatedCompletion))]);
}

/// <summary>A row queued again after an attempt (no PHI: the line, never the patient).</summary>
/// <param name="Line">The census line.</param>
/// <param name="PayerId">The payer asked.</param>
/// <param name="Payer">Its name and ID, as people read it.</param>
/// <param name="Reason"><c>payer-unavailable</c> (the payer could not answer; it does not hold the batch) or <c>payer-asked-to-resubmit</c>.</param>
/// <param name="Attempts">Attempts made so far.</param>
/// <param name="LastErrorCode">What the last attempt found (no payer free text).</param>
/// <param name="NextTryAt">When the worker tries it next (UTC).</param>
/// <param name="NextTry">The same in program time, as staff read it.</param>
internal sealed record BatchRetryingRowResponse(
    int Line, string PayerId, string Payer, string Reason, int Attempts, string? LastErrorCode, DateTimeOffset NextTryAt, string NextTry);

/// <summary>One payer's part of a batch's progress.</summary>
internal sealed record BatchPayerProgressResponse(string PayerId, int Finished, int Pending, int WaitingForPayer, DateTimeOffset? EstimatedCompletion);
