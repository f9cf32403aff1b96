using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CoverageCheck.Service.Features.Eligibility;

/// <summary>
/// <c>POST /api/v1/eligibility/271</c>: reads a raw X12 271 that staff received from a payer portal or clearinghouse
/// mailbox, with the same parser and normaliser the verifications use. Nothing is stored; the read is audited.
/// </summary>
internal static class EligibilityApi
{
    /// <summary>Far above any real 271 for a handful of patients; a guard against a mistaken upload.</summary>
    internal const int MaxBodyBytes = 5 * 1024 * 1024;

    public static WebApplicationBuilder AddEligibility(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, EligibilityJsonContext.Default));
        return builder;
    }

    public static RouteGroupBuilder MapEligibilityApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/eligibility")
            .WithTags("Eligibility")
            .RequireAuthorization(Policies.Eligibility271);
        group.MapPost("/271", Read271Async)
            .Accepts<string>("text/plain", "application/edi-x12")
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithSummary("Read a raw X12 271: the payer, the normalised coverage, AAA errors, and envelope warnings.");
        return group;
    }

    internal static async Task<Results<Ok<Eligibility271Response>, ProblemHttpResult>> Read271Async(
        HttpRequest request, ClaimsPrincipal user, AuditStore audit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.",
                detail: $"A 271 of at most {MaxBodyBytes / (1024 * 1024)} MB is accepted.");
        }

        string text;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "The file is too large.",
                detail: $"A 271 of at most {MaxBodyBytes / (1024 * 1024)} MB is accepted.");
        }

        var readings = CoverageNormalizer.FromX12All(text);
        await audit.AppendAsync(AccessContext.For(user, "read an uploaded 271"), AuditActions.Read, "x12-271-upload",
            $"{readings.Readings.Count} answers", cancellationToken);

        var primary = readings.Primary;
        if (!primary.IsReadable)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The 271 could not be read.",
                detail: string.Join(" ", primary.InputErrors),
                extensions: new Dictionary<string, object?> { ["errors"] = primary.InputErrors, ["warnings"] = primary.Warnings });
        }

        return TypedResults.Ok(new Eligibility271Response(
            primary.Payer, primary.Coverage, primary.Errors, primary.Warnings, primary.Assumptions,
            [.. readings.Readings.Select(r => new Eligibility271Result(r.Payer, r.Coverage, r.Errors, r.Warnings, r.Assumptions))]));
    }
}

/// <summary>The first patient's answer, and every answer of the interchange as <c>results</c> (the first included).</summary>
internal sealed record Eligibility271Response(
    PayerInfo? Payer,
    NormalizedCoverage? Coverage,
    IReadOnlyList<AaaError> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<Eligibility271Result> Results);

internal sealed record Eligibility271Result(
    PayerInfo? Payer,
    NormalizedCoverage? Coverage,
    IReadOnlyList<AaaError> Errors,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> Assumptions);

/// <summary>The 271 upload's answer, source-generated (camelCase; AAA classes kebab-case as in a verification).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, Converters = [typeof(KebabEnumConverter<AaaClass>)])]
[JsonSerializable(typeof(Eligibility271Response))]
internal sealed partial class EligibilityJsonContext : JsonSerializerContext;
