using System.Security.Claims;
using CoverageCheck.Service.Features.CarveOuts;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications.Completions;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>"Verify coverage today": <c>/api/v1/verifications</c>.</summary>
internal static class VerificationsApi
{
    public static RouteGroupBuilder MapVerificationsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/verifications")
            .WithTags("Verifications")
            .RequireAuthorization(Policies.VerificationsRead);

        group.MapPost("/", CreateAsync)
            .RequireAuthorization(Policies.VerificationsWrite)
            .Accepts<VerificationRequest>("application/json")
            .WithSummary("Verify a patient's coverage now; 201 with the answer, or 202 when the payer is slow (the worker finishes it).");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("One verification with its coverage, benefits and estimate.");
        group.MapGet("/", ListAsync).WithSummary("The admissions work queue: verifications by status and time, newest first.");
        group.MapCompletion();
        return group;
    }

    // Far more than the largest valid request (names, IDs and a program are well under 2 KB).
    private const int MaxBodyBytes = 16 * 1024;

    internal static async Task<Results<Created<VerificationResponse>, Accepted<VerificationResponse>, Ok<VerificationResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        VerificationIntake intake,
        ConsentStore consents,
        VerificationStore store,
        CarveOutFollower carveOuts,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync(request, VerificationsJsonContext.Default.VerificationRequest, MaxBodyBytes, "verification request", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var rules = new FieldErrors();
        var payload = body.Value is { } read ? VerificationRequestValidation.Validate(read, timeProvider.GetUtcNow(), rules) : null;
        var errors = body.Errors;
        errors.AddRuleErrors(rules);
        if (payload?.Corrects is { } corrected && !await store.ExistsAsync(corrected, cancellationToken))
        {
            errors.Add("correctsVerificationId", "There is no verification with this id.");
        }

        if (payload is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The verification request is not valid.");
        }

        var idempotencyKey = request.Headers["Idempotency-Key"].ToString();
        var submitted = await intake.SubmitAsync(
            payload,
            AccessContext.For(user, "verify coverage"),
            new SubmitOptions { IdempotencyKey = idempotencyKey.Length == 0 ? null : idempotencyKey, RealTime = true },
            cancellationToken);

        var response = await carveOuts.WithLiveStatusAsync(
            VerificationResponse.From(submitted.Record, await consents.DescribeAsync(submitted.Record.ConsentId, cancellationToken)), cancellationToken);
        var location = $"/api/v1/verifications/{submitted.Record.Id}";
        if (!submitted.Created)
        {
            return TypedResults.Ok(response);
        }

        return submitted.Record.Status is VerificationStatus.Queued or VerificationStatus.InProgress
            ? TypedResults.Accepted(location, response)
            : TypedResults.Created(location, response);
    }

    internal static async Task<Results<Ok<VerificationResponse>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, VerificationStore store, ConsentStore consents, CarveOutFollower carveOuts, AuthorizationStore authorizations, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, AccessContext.For(user, "view verification"), cancellationToken);
        return record is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(await carveOuts.WithLiveStatusAsync(
                VerificationResponse.From(record, await consents.DescribeAsync(record.ConsentId, cancellationToken))
                    with { Authorizations = await authorizations.ListAsync(id, cancellationToken) },
                cancellationToken));
    }

    internal static async Task<Results<Ok<VerificationListResponse>, ValidationProblem>> ListAsync(
        VerificationStore store,
        CancellationToken cancellationToken,
        string? status = null,
        DateTimeOffset? since = null,
        string? payerId = null,
        string? createdBy = null,
        int? limit = null,
        string? cursor = null)
    {
        var errors = new Dictionary<string, string[]>();
        if (status is not null && !VerificationStatus.All.Contains(status))
        {
            errors["status"] = [$"One of: {string.Join(", ", VerificationStatus.All)}."];
        }

        if (limit is < 1 or > VerificationQuery.MaxLimit)
        {
            errors["limit"] = [$"From 1 to {VerificationQuery.MaxLimit}."];
        }

        VerificationCursor? before = null;
        if (cursor is not null && !VerificationCursor.TryParse(cursor, out before))
        {
            errors["cursor"] = ["Not a cursor this service gave out."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await store.ListAsync(
            new VerificationQuery { Status = status, Since = since, PayerId = payerId, CreatedBy = createdBy, Limit = limit ?? 50, Before = before },
            cancellationToken);
        return TypedResults.Ok(new VerificationListResponse(page.Items, page.Next?.ToString()));
    }
}

internal sealed record VerificationListResponse(IReadOnlyList<VerificationSummary> Items, string? Next);
