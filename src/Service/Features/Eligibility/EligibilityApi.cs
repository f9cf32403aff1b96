using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.X12;
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

    /// <summary>Warnings listed per answer at most; the rest are counted in one last warning.</summary>
    internal const int MaxWarnings = 100;

    /// <summary>Patient answers returned at most; an interchange with more says so in a warning.</summary>
    internal const int MaxResults = 1000;

    internal static async Task<Results<Ok<Eligibility271Response>, ProblemHttpResult>> Read271Async(
        HttpRequest request, ClaimsPrincipal user, AuditStore audit, PhiProtector phi, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        string text;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: false));
            text = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge();
        }

        if (text.Length > MaxBodyBytes)
        {
            return TooLarge(); // a host without a request size limit (in-memory test server)
        }

        var readings = CoverageNormalizer.FromX12All(text);
        var access = AccessContext.For(user, "read an uploaded 271");
        await audit.AppendAsync(access, AuditActions.Read, "x12-271-upload",
            $"{readings.Readings.Count} answers", cancellationToken);
        await audit.AppendManyAsync(access, AuditActions.Read, Patients(readings.Read, phi), cancellationToken);

        var primary = readings.Primary;
        if (!primary.IsReadable)
        {
            var errors = Cap(primary.InputErrors, "errors");
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The 271 could not be read.",
                detail: string.Join(" ", errors.Take(10)),
                extensions: new Dictionary<string, object?> { ["errors"] = errors, ["warnings"] = Cap(primary.Warnings, "warnings") });
        }

        // The envelope's warnings belong to the whole file: said once, with the first answer, not once per patient.
        var envelope = readings.Read.Warnings.Select(w => w.ToString()).ToHashSet(StringComparer.Ordinal);
        var shown = readings.Readings.Take(MaxResults).ToList();
        var primaryWarnings = readings.Readings.Count > MaxResults
            ? [.. primary.Warnings, string.Create(CultureInfo.InvariantCulture, $"{readings.Readings.Count - MaxResults} more patient answers were left out of results; upload the file in parts")]
            : primary.Warnings;
        return TypedResults.Ok(new Eligibility271Response(
            primary.Payer, primary.Coverage, primary.Errors, Cap(primaryWarnings, "warnings"), primary.Assumptions,
            [
                .. shown.Select((r, i) => new Eligibility271Result(
                    r.Payer, r.Coverage, r.Errors,
                    Cap(i == 0 ? primaryWarnings : [.. r.Warnings.Where(w => !envelope.Contains(w))], "warnings"),
                    r.Assumptions)),
            ]));
    }

    /// <summary>The first <see cref="MaxWarnings"/> items, and how many more there were.</summary>
    internal static IReadOnlyList<string> Cap(IReadOnlyList<string> items, string what) =>
        items.Count <= MaxWarnings
            ? items
            : [.. items.Take(MaxWarnings), string.Create(CultureInfo.InvariantCulture, $"{items.Count - MaxWarnings} more {what} were left out")];

    /// <summary>
    /// Which patients the file concerned, for the audit trail: the member's keyed hash (the verifications'
    /// <c>member_key</c>, so an auditor finds the upload beside the member's verifications), or for a patient without a
    /// payer or member ID a keyed hash of name and date of birth. Never the values themselves.
    /// </summary>
    private static List<AuditRecord> Patients(X271ReadResult read, PhiProtector phi)
    {
        var records = new HashSet<AuditRecord>();
        foreach (var response in read.Responses)
        {
            var payerId = response.Payer?.Name?.IdentificationCode;
            foreach (var member in new[] { response.Subscriber, response.Dependent })
            {
                if (member?.Name is not { } name)
                {
                    continue;
                }

                if (!string.IsNullOrWhiteSpace(payerId) && !string.IsNullOrWhiteSpace(name.IdentificationCode))
                {
                    records.Add(new AuditRecord(AuditRecordTypes.Member, phi.MemberKey(payerId, name.IdentificationCode)));
                }
                else if (!string.IsNullOrWhiteSpace(name.LastOrOrganizationName))
                {
                    records.Add(new AuditRecord(AuditRecordTypes.X12Patient, phi.MemberKey(
                        string.IsNullOrWhiteSpace(payerId) ? "-" : payerId,
                        $"{name.LastOrOrganizationName}\u001f{name.FirstName}\u001f{member.DateOfBirth}")));
                }
            }
        }

        return [.. records];
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "The file is too large.",
        detail: $"A 271 of at most {MaxBodyBytes / (1024 * 1024)} MB is accepted.");
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
