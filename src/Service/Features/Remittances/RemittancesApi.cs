using System.Globalization;
using System.Security.Claims;
using System.Text;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>Finance's remittances (http-api.md "Remittances"): <c>/api/v1/remittances</c>.</summary>
internal static class RemittancesApi
{
    /// <summary>A month of a large program's 835s is a few MB; a larger body is answered 413.</summary>
    internal const int MaxBodyBytes = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapRemittancesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/remittances")
            .WithTags("Remittances")
            .RequireAuthorization(Policies.Remittances);
        group.MapPost("/", UploadAsync)
            .Accepts<string>("text/plain", "application/edi-x12", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes), new RequestFormLimitsAttribute { MultipartBodyLengthLimit = MaxBodyBytes })
            .WithSummary("Upload a raw X12 835: 201 with every claim and the verification it matched; the same file again: 200 with the first id.");
        group.MapGet("/", ListAsync)
            .WithSummary("The latest remittances: when, by whom, claims and how many matched (no PHI).");
        group.MapGet("/{id:guid}", GetAsync)
            .WithSummary("An uploaded remittance as it was read and matched.");
        endpoints.MapGet("/api/v1/batches/{id:guid}/sandbox-835", SandboxAsync)
            .WithTags("Remittances")
            .RequireAuthorization(Policies.Remittances)
            .WithSummary("Only with the built-in sandbox: the sandbox payer's 835 for a batch's verified rows, every planned day through ?through=YYYY-MM-DD (default today).");
        return endpoints;
    }

    internal static async Task<Results<Created<RemittanceResponse>, Ok<RemittanceResponse>, ProblemHttpResult>> UploadAsync(
        HttpRequest request, ClaimsPrincipal user, RemittanceService remittances, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        if (body.Problem is { } problem)
        {
            return problem;
        }

        var upload = await remittances.UploadAsync(body.Text!, AccessContext.For(user, "upload a remittance"), cancellationToken);
        if (upload.Remittance is not { } remittance)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The 835 could not be read.",
                detail: string.Join(" ", upload.Errors.Take(10)),
                extensions: new Dictionary<string, object?> { ["errors"] = upload.Errors });
        }

        return upload.Created
            ? TypedResults.Created($"/api/v1/remittances/{remittance.Id}", remittance)
            : TypedResults.Ok(remittance);
    }

    internal static async Task<Ok<IReadOnlyList<RemittanceSummary>>> ListAsync(RemittanceStore store, CancellationToken cancellationToken, int? limit = null) =>
        TypedResults.Ok(await store.ListAsync(Math.Clamp(limit ?? 50, 1, 500), cancellationToken));

    internal static async Task<Results<Ok<RemittanceResponse>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, RemittanceStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, AccessContext.For(user, "view a remittance"), cancellationToken) is { } remittance
            ? TypedResults.Ok(remittance)
            : TypedResults.NotFound();

    internal static async Task<Results<FileContentHttpResult, NotFound, ValidationProblem>> SandboxAsync(
        Guid id, ClaimsPrincipal user, SandboxRemittanceIssuer issuer, ProgramTime clock, CancellationToken cancellationToken, string? through = null)
    {
        var until = clock.Today;
        if (through is not null && !DateOnly.TryParseExact(through, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out until))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["through"] = ["A date as YYYY-MM-DD."] });
        }

        if (await issuer.IssueAsync(id, until, AccessContext.For(user, "sandbox remittance"), cancellationToken) is not { Text.Length: > 0 } remittance)
        {
            return TypedResults.NotFound();
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(remittance.Text), "text/plain; charset=utf-8",
            string.Create(CultureInfo.InvariantCulture, $"sandbox-835-{id:N}-{until:yyyyMMdd}.835"));
    }

    private static async Task<(string? Text, ProblemHttpResult? Problem)> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, TooLarge());
        }

        try
        {
            Stream stream;
            if (request.HasFormContentType)
            {
                var form = await request.ReadFormAsync(cancellationToken);
                if ((form.Files.GetFile("remittance") ?? form.Files.FirstOrDefault()) is not { } file)
                {
                    return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No remittance file.",
                        detail: "Attach the 835 as a file field named \"remittance\".",
                        extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { ["remittance"] = ["Attach the 835 file."] } }));
                }

                stream = file.OpenReadStream();
            }
            else
            {
                stream = request.Body;
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
            var text = await reader.ReadToEndAsync(cancellationToken);
            return text.Length > MaxBodyBytes ? (null, TooLarge())
                : string.IsNullOrWhiteSpace(text) ? (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The 835 could not be read.", detail: "The body is empty: send the raw X12 835."))
                : (text, null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The remittance is too large.",
        detail: $"An 835 of at most {MaxBodyBytes / (1024 * 1024)} MB is accepted; upload the file in parts.");
}
