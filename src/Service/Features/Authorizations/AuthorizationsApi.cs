using System.Security.Claims;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Contracts;
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
        ContractStore contracts,
        PayerDirectory payers,
        VerificationEstimator estimator,
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
        var record = await verifications.GetAsync(id, access, cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound();
        }

        var resultJson = await RepricedAsync(record, authorization, authorizations, contracts, payers, estimator, cancellationToken);
        var created = await authorizations.InsertAsync(id, authorization, resultJson, access, cancellationToken);
        if (created is null)
        {
            return TypedResults.NotFound();
        }

        var reread = await verifications.GetAsync(id, access, cancellationToken) ?? record;
        var response = VerificationResponse.From(reread, await consents.DescribeAsync(reread.ConsentId, cancellationToken))
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
        AuthorizationStore authorizations, ProgramClock clock, CancellationToken cancellationToken, int? days = null)
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

    /// <summary>
    /// The verification's result with its estimate priced again with every authorisation on file and the new one, with
    /// the contract it matched (as that contract stands now; none if it was deleted); null when there is no estimate
    /// to re-price (no program, not finished, or no benefits).
    /// </summary>
    private static async Task<string?> RepricedAsync(
        VerificationRecord record, NewAuthorization added, AuthorizationStore authorizations, ContractStore contracts, PayerDirectory payers,
        VerificationEstimator estimator, CancellationToken cancellationToken)
    {
        var payload = VerificationJson.ReadPayload(record.PayloadJson);
        if (record.Status != VerificationStatus.Completed || VerificationJson.ReadResult(record.ResultJson) is not { Coverage: { } coverage, Estimate: not null } result || payload.Program is null)
        {
            return null;
        }

        var contract = result.Contract is { } matched && await contracts.GetAsync(matched.Id, cancellationToken) is { } current
            ? new ContractMatchResult(current, matched.MatchedOn)
            : null;
        // The current record of each number on file, except one the new record supersedes (the same number; compared
        // on the decrypted numbers, as number_key would), then the new one.
        var all = (await authorizations.ListAsync(record.Id, cancellationToken))
            .Where(a => a.SupersededBy is null && !string.Equals(a.Number.Trim(), added.Secret.Number.Trim(), StringComparison.OrdinalIgnoreCase))
            .Select(a => new Estimator.Authorization(AuthorizationStatuses.ToEstimator(a.Status), a.Days, a.EffectiveDate, a.ExpirationDate))
            .Append(new Estimator.Authorization(AuthorizationStatuses.ToEstimator(added.Status), added.Days, added.EffectiveDate, added.ExpirationDate))
            .ToList();
        var (estimate, _) = estimator.Estimate(payload, coverage, payers.Find(payload.Insurance.PayerId), contract, all);
        return VerificationJson.Write(result with { Estimate = estimate });
    }
}
