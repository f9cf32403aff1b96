using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Data;
using Spectre.Console;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>The exit codes of the <c>batch</c> commands.</summary>
internal static class BatchExitCodes
{
    /// <summary>The report was written and every census row was accepted.</summary>
    public const int Success = 0;

    /// <summary>The report was written, but some census rows were rejected (listed on standard error).</summary>
    public const int RowsRejected = 1;

    /// <summary>Bad arguments: a missing file, an unknown format.</summary>
    public const int Usage = 2;

    /// <summary>The service refused the census as a whole (bad header, not UTF-8, no rows): nothing was queued.</summary>
    public const int CensusRefused = 3;

    /// <summary>The service could not be reached, refused the key, or failed.</summary>
    public const int ServiceError = 4;

    /// <summary>The batch did not finish within <c>--timeout</c>; it keeps running (fetch the report later with <c>batch report</c>).</summary>
    public const int TimedOut = 5;
}

/// <summary>
/// <c>batch run CENSUS.csv --out REPORT.xlsx</c> uploads a census to a running service, follows it with a progress bar
/// and writes the report; <c>batch report ID --format csv|xlsx|html</c> fetches the report of an earlier batch.
/// Both talk to the service over its API (<c>--url</c>, default http://127.0.0.1:5080) with a finance or admin key
/// (<c>--api-key</c> or the COVERAGECHECK_API_KEY environment variable), so the audit trail names the caller.
/// </summary>
internal static class BatchCommand
{
    public const string Name = "batch";
    public const string ApiKeyVariable = "COVERAGECHECK_API_KEY";
    public static readonly Uri DefaultUrl = new("http://127.0.0.1:5080");

    public static Command Create(CommandContext context)
    {
        var census = new Argument<FileInfo>("census") { Description = "The census CSV (header and rules: docs/finance.md)." };
        var runOut = new Option<FileInfo>("--out") { Description = "Where to write the report; its extension (.csv, .xlsx, .html) sets the format.", Required = true };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for the payers (default 2 hours).", DefaultValueFactory = _ => TimeSpan.FromHours(2) };
        var (runUrl, runKey) = ServiceOptions();
        var run = new Command("run", "Upload a census, follow the batch with a progress bar, and write its report.") { census, runOut, timeout, runUrl, runKey };
        run.SetAction((parseResult, cancellationToken) =>
        {
            // Argument problems are checked here rather than by the parser, so they exit with BatchExitCodes.Usage.
            var input = ShellPaths.FromShell(parseResult.GetRequiredValue(census));
            if (!input.Exists)
            {
                context.Error.WriteLine($"The census file {input.FullName} does not exist.");
                return Task.FromResult(BatchExitCodes.Usage);
            }

            var output = ShellPaths.FromShell(parseResult.GetRequiredValue(runOut));
            if (!BatchReportWriters.TryParseFormat(output.Extension, out var format))
            {
                context.Error.WriteLine($"The report file must end in .csv, .xlsx or .html, not '{output.Name}'.");
                return Task.FromResult(BatchExitCodes.Usage);
            }

            return WithClientAsync(context, parseResult.GetRequiredValue(runUrl), parseResult.GetValue(runKey), client =>
                RunAsync(client, input, output, format, parseResult.GetValue(timeout), TimeSpan.FromSeconds(1), context, cancellationToken));
        });

        var id = new Argument<Guid>("id") { Description = "The batch id (as printed by batch run or returned by POST /api/v1/batches)." };
        var format = new Option<string>("--format") { Description = "csv, xlsx or html.", Required = true };
        var reportOut = new Option<FileInfo?>("--out") { Description = "Where to write it (default batch-ID.FORMAT in the current folder)." };
        var (reportUrl, reportKey) = ServiceOptions();
        var report = new Command("report", "Fetch the report of a batch.") { id, format, reportOut, reportUrl, reportKey };
        report.SetAction((parseResult, cancellationToken) =>
        {
            if (!BatchReportWriters.TryParseFormat(parseResult.GetRequiredValue(format), out var reportFormat))
            {
                context.Error.WriteLine("--format must be csv, xlsx or html.");
                return Task.FromResult(BatchExitCodes.Usage);
            }

            var batchId = parseResult.GetRequiredValue(id);
            var output = ShellPaths.FromShell(parseResult.GetValue(reportOut)
                ?? new FileInfo($"batch-{batchId}{BatchReportWriters.For(reportFormat).FileExtension}"));
            return WithClientAsync(context, parseResult.GetRequiredValue(reportUrl), parseResult.GetValue(reportKey), client =>
                ReportAsync(client, batchId, reportFormat, output, context, cancellationToken));
        });

        return new Command(Name, "Finance census batches, through a running service.") { run, report };
    }

    /// <summary>Uploads, follows and reports; <paramref name="client"/> has the service address and the API key.</summary>
    internal static async Task<int> RunAsync(
        HttpClient client,
        FileInfo census,
        FileInfo output,
        BatchReportFormat format,
        TimeSpan timeout,
        TimeSpan pollInterval,
        CommandContext context,
        CancellationToken cancellationToken)
    {
        BatchCreatedResponse created;
        await using (var file = census.OpenRead())
        {
            using var content = new StreamContent(file);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
            // Named after the file, so the report's changes are since the last run of the same census (#19).
            using var response = await client.PostAsync("api/v1/batches?name=" + Uri.EscapeDataString(census.Name), content, cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                context.Error.WriteLine($"The census was refused: {await ProblemTextAsync(response, cancellationToken)}");
                return BatchExitCodes.CensusRefused;
            }

            if (await FailureAsync(response, context, cancellationToken) is { } failure)
            {
                return failure;
            }

            created = (await response.Content.ReadFromJsonAsync(BatchesJsonContext.Default.BatchCreatedResponse, cancellationToken))!;
        }

        context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Batch {created.Id}: {created.Accepted} rows queued, {created.Rejected} rejected."));
        foreach (var error in created.Errors)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  line {error.Line} ({error.PatientRef ?? "no patient_ref"}): {error.Code}: {error.Reason}"));
        }

        var state = await FollowAsync(client, created.Id, timeout, pollInterval, context, cancellationToken);
        if (state is null)
        {
            return BatchExitCodes.ServiceError;
        }

        if (state.Status != BatchStatus.Completed)
        {
            // Payers that are down keep rows queued for their retries; finance still gets what is known now.
            var partial = await ReportAsync(client, created.Id, format, output, context, cancellationToken);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Batch {created.Id} is still running after {timeout}; {(partial == BatchExitCodes.Success ? $"{output.Name} holds the rows finished so far, and " : "")}the full report comes later with: batch report {created.Id} --format {format.ToString().ToLowerInvariant()}"));
            return BatchExitCodes.TimedOut;
        }

        context.Output.WriteLine(string.Join(", ", state.Counts.Where(c => c.Value > 0).Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Value} {c.Key}"))));
        var written = await ReportAsync(client, created.Id, format, output, context, cancellationToken);
        return written != BatchExitCodes.Success ? written : created.Rejected > 0 ? BatchExitCodes.RowsRejected : BatchExitCodes.Success;
    }

    internal static async Task<int> ReportAsync(
        HttpClient client, Guid id, BatchReportFormat format, FileInfo output, CommandContext context, CancellationToken cancellationToken)
    {
        var extension = BatchReportWriters.For(format).FileExtension;
        using var response = await client.GetAsync($"api/v1/batches/{id}/report{extension}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            context.Error.WriteLine($"There is no batch {id}.");
            return BatchExitCodes.Usage;
        }

        if (await FailureAsync(response, context, cancellationToken) is { } failure)
        {
            return failure;
        }

        output.Directory?.Create();
        // The report carries PHI (patient references, benefits): readable by its owner only.
        await using (var file = OwnerOnlyFiles.CreateForWrite(output.FullName))
        {
            await response.Content.CopyToAsync(file, cancellationToken);
        }

        context.Output.WriteLine($"Report written to {output.FullName}");
        return BatchExitCodes.Success;
    }

    private static async Task<BatchStatusResponse?> FollowAsync(
        HttpClient client, Guid id, TimeSpan timeout, TimeSpan pollInterval, CommandContext context, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Output) });
        var waited = Stopwatch.StartNew();
        BatchStatusResponse? state = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Verifying", maxValue: 1);
                while (true)
                {
                    using var response = await client.GetAsync($"api/v1/batches/{id}", cancellationToken);
                    if (await FailureAsync(response, context, cancellationToken) is not null)
                    {
                        state = null;
                        return;
                    }

                    state = (await response.Content.ReadFromJsonAsync(BatchesJsonContext.Default.BatchStatusResponse, cancellationToken))!;
                    task.MaxValue = Math.Max(state.Rows, 1);
                    task.Value = state.Done;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{state.Done}/{state.Rows} rows");
                    if (state.Status == BatchStatus.Completed || waited.Elapsed >= timeout)
                    {
                        task.StopTask();
                        return;
                    }

                    await Task.Delay(pollInterval, cancellationToken);
                }
            });
        return state;
    }

    /// <summary>Null when the response succeeded; otherwise says why on standard error and gives the exit code.</summary>
    private static async Task<int?> FailureAsync(HttpResponseMessage response, CommandContext context, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return null;
        }

        var reason = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => "the service did not accept the API key (give --api-key or set " + ApiKeyVariable + ")",
            HttpStatusCode.Forbidden => "the API key does not have the finance role",
            _ => await ProblemTextAsync(response, cancellationToken),
        };
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"The service answered {(int)response.StatusCode}: {reason}."));
        return BatchExitCodes.ServiceError;
    }

    private static async Task<string> ProblemTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            var problem = JsonSerializer.Deserialize(body, BatchesJsonContext.Default.HttpValidationProblemDetails);
            var details = problem?.Errors.SelectMany(e => e.Value) ?? [];
            return string.Join(" ", new[] { problem?.Title }.Concat(details).Where(s => !string.IsNullOrEmpty(s)));
        }
        catch (JsonException)
        {
            return body.Length > 200 ? body[..200] : body;
        }
    }

    private static (Option<string> Url, Option<string?> ApiKey) ServiceOptions() =>
    (
        new Option<string>("--url") { Description = "The service's address.", DefaultValueFactory = _ => DefaultUrl.AbsoluteUri },
        new Option<string?>("--api-key") { Description = $"An API key with the finance role (default: the {ApiKeyVariable} environment variable)." }
    );

    private static async Task<int> WithClientAsync(CommandContext context, string address, string? apiKey, Func<HttpClient, Task<int>> action)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            context.Error.WriteLine($"--url must be an http or https address, not '{address}'.");
            return BatchExitCodes.Usage;
        }

        apiKey ??= Environment.GetEnvironmentVariable(ApiKeyVariable);
        if (string.IsNullOrEmpty(apiKey))
        {
            context.Error.WriteLine($"Give an API key with the finance role: --api-key KEY, or set {ApiKeyVariable}.");
            return BatchExitCodes.Usage;
        }

        using var client = new HttpClient { BaseAddress = url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/"), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        try
        {
            return await action(client);
        }
        catch (HttpRequestException exception)
        {
            context.Error.WriteLine($"The service at {url} cannot be reached ({exception.Message}). Start it with: dotnet run --project src/Service");
            return BatchExitCodes.ServiceError;
        }
    }
}
