using System.Security.Claims;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Features.Authorizations;

/// <summary>
/// Authorisations (http-api.md "Authorisations"): recorded on a verification by admissions
/// (<c>POST /api/v1/verifications/{id}/authorizations</c>), listed with it, and the lists of reviews due and
/// authorisations expiring (<c>GET /api/v1/authorizations/due</c>) for the work queue.
/// </summary>
internal static class AuthorizationsApi
{
    // A number, a status, dates and a reviewer.
    private const int MaxBodyBytes = 4 * 1024;
    private const int MaxDueDays = 31;

    public static IEndpointRouteBuilder MapAuthorizationsApi(this IEndpointRouteBuilder endpoints)
    {
        var onVerification = endpoints.MapGroup("/api/v1/verifications/{id:guid}/authorizations")
            .WithTags("Authorizations")
            .RequireAuthorization(Policies.VerificationsRead);
        onVerification.MapPost("/", CreateAsync)
            .RequireAuthorization(Policies.VerificationsWrite)
            .Accepts<AuthorizationRequest>("application/json")
            .WithSummary("Record the payer's authorisation (or its denial) for the program; 201 with the verification, its estimate split by its authorisations.");
        onVerification.MapGet("/", ListAsync).WithSummary("The verification's authorisations, oldest first (a later record of the same number supersedes an earlier one).");

        endpoints.MapGroup("/api/v1/authorizations")
            .WithTags("Authorizations")
            .RequireAuthorization(Policies.VerificationsRead)
            .MapGet("/due", DueAsync)
            .WithSummary("Reviews due in the next days (3 by default; overdue ones too) and authorisations expiring, today in Program:TimeZone.");
        return endpoints;
    }

    internal static async Task<Results<Created<VerificationResponse>, NotFound, ValidationProblem, ProblemHttpResult>> CreateAsync(
        Guid id,
        HttpRequest request,
        ClaimsPrincipal user,
        VerificationStore verifications,
        AuthorizationStore authorizations,
        AuthorizationRecorder recorder,
        ConsentStore consents,
        CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync(request, AuthorizationsJsonContext.Default.AuthorizationRequest, MaxBodyBytes, "authorisation", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var errors = body.Errors;
        var rules = new FieldErrors();
        var authorization = errors.Has(FieldErrors.BodyField) ? null : AuthorizationValidation.Validate(body.Value, rules);
        errors.AddRuleErrors(rules);
        if (authorization is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The authorisation is not valid.");
        }

        var access = AccessContext.For(user, "record authorisation");
        if (await recorder.RecordAsync(id, authorization, access, cancellationToken) is null)
        {
            return TypedResults.NotFound();
        }

        var record = await verifications.GetAsync(id, access, cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound();
        }

        var response = VerificationResponse.From(record, await consents.DescribeAsync(record.ConsentId, cancellationToken))
            with { Authorizations = await authorizations.ListAsync(id, cancellationToken) };
        return TypedResults.Created($"/api/v1/verifications/{id}", response);
    }

    internal static async Task<Results<Ok<IReadOnlyList<AuthorizationResponse>>, NotFound>> ListAsync(
        Guid id, ClaimsPrincipal user, VerificationStore verifications, AuthorizationStore authorizations, CancellationToken cancellationToken)
    {
        // The verification's read is the audited one; its authorisations go with it.
        var record = await verifications.GetAsync(id, AccessContext.For(user, "view authorisations"), cancellationToken);
        return record is null ? TypedResults.NotFound() : TypedResults.Ok(await authorizations.ListAsync(id, cancellationToken));
    }

    internal static async Task<Results<Ok<AuthorizationsDueResponse>, ValidationProblem>> DueAsync(
        AuthorizationStore authorizations, ProgramTime clock, CancellationToken cancellationToken, int? days = null)
    {
        if (days is < 0 or > MaxDueDays)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["days"] = [$"From 0 to {MaxDueDays}."] });
        }

        var today = clock.Today;
        var through = today.AddDays(days ?? 3);
        var (reviews, expiring) = await authorizations.DueAsync(today, through, cancellationToken);
        return TypedResults.Ok(new AuthorizationsDueResponse(today, through, reviews, expiring));
    }
}
