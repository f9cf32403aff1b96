using System.Security.Claims;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Features.Consents;

/// <summary>Consent records (42 CFR Part 2): <c>/api/v1/consents</c>.</summary>
internal static class ConsentsApi
{
    // A method and a short reason.
    private const int MaxBodyBytes = 4 * 1024;

    public static RouteGroupBuilder MapConsentsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/consents")
            .WithTags("Consents")
            .RequireAuthorization(Policies.VerificationsRead);

        group.MapGet("/{id:guid}", GetAsync).WithSummary("One consent record: who gave it, how, when, what it allows, until when, and its revocation.");
        group.MapPost("/{id:guid}/revocation", RevokeAsync)
            .RequireAuthorization(Policies.VerificationsWrite)
            .Accepts<RevocationRequest>("application/json")
            .WithSummary("Record that the patient revoked the consent: from then on no payer is asked under it, and its queued work stops (needs-review, consent-revoked).");
        return group;
    }

    internal static async Task<Results<Ok<ConsentResponse>, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, ConsentStore consents, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var consent = await consents.GetAsync(id, AccessContext.For(user, "view consent"), cancellationToken);
        return consent is null ? TypedResults.NotFound() : TypedResults.Ok(ConsentResponse.From(consent, timeProvider.GetUtcNow()));
    }

    internal static async Task<Results<Ok<ConsentResponse>, NotFound, ValidationProblem, ProblemHttpResult>> RevokeAsync(
        Guid id, HttpRequest request, ClaimsPrincipal user, ConsentStore consents, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync(request, ConsentsJsonContext.Default.RevocationRequest, MaxBodyBytes, "revocation", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var errors = body.Errors;
        var rules = new FieldErrors();
        var revocation = Validate(body.Value, rules);
        errors.AddRuleErrors(rules);
        if (revocation is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The revocation is not valid.");
        }

        var result = await consents.RevokeAsync(id, revocation, AccessContext.For(user, "revoke consent"), cancellationToken);
        return result is null ? TypedResults.NotFound() : TypedResults.Ok(ConsentResponse.From(result.Consent, timeProvider.GetUtcNow()));
    }

    /// <summary>The revocation's rules: how it was made (required), and a short reason.</summary>
    internal static RevocationRequest? Validate(RevocationRequest? request, FieldErrors errors)
    {
        if (!ConsentMethods.IsKnown(request?.Method))
        {
            errors.Add("method", "How the patient revoked consent: one of verbal, written, electronic.");
        }

        var reason = request?.Reason?.Trim();
        if (reason is { Length: > ConsentStore.ReasonMaxLength })
        {
            errors.Add("reason", $"At most {ConsentStore.ReasonMaxLength} characters.");
        }

        return errors.IsEmpty ? new RevocationRequest(request!.Method, string.IsNullOrEmpty(reason) ? null : reason) : null;
    }
}
