using System.Security.Claims;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>Payer contracts per plan (http-api.md "Contracts"): <c>/api/v1/contracts</c>, finance and admin.</summary>
internal static class ContractsApi
{
    // A contract with a hundred group numbers is well under this.
    private const int MaxBodyBytes = 16 * 1024;

    public static RouteGroupBuilder MapContractsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/contracts")
            .WithTags("Contracts")
            .RequireAuthorization(Policies.Contracts);

        group.MapGet("/", ListAsync).WithSummary("Every payer contract (or one payer's with ?payerId=), by payer and id.");
        group.MapGet("/{id}", GetAsync).WithSummary("One payer contract.");
        group.MapPut("/{id}", PutAsync)
            .Accepts<ContractRequest>("application/json")
            .WithSummary("Create or replace a contract: 201 when new, 200 when replaced. Audited.");
        group.MapDelete("/{id}", DeleteAsync).WithSummary("Remove a contract: 204, or 404. Audited.");
        return group;
    }

    internal static async Task<Ok<IReadOnlyList<Contract>>> ListAsync(ContractStore store, CancellationToken cancellationToken, string? payerId = null) =>
        TypedResults.Ok(await store.ListAsync(payerId, cancellationToken));

    internal static async Task<Results<Ok<Contract>, NotFound>> GetAsync(string id, ContractStore store, CancellationToken cancellationToken) =>
        ContractValidation.IsValidId(id) && await store.GetAsync(id, cancellationToken) is { } contract ? TypedResults.Ok(contract) : TypedResults.NotFound();

    internal static async Task<Results<Created<Contract>, Ok<Contract>, ValidationProblem, ProblemHttpResult>> PutAsync(
        string id, HttpRequest request, ClaimsPrincipal user, ContractStore store, CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync(request, ContractsJsonContext.Default.ContractRequest, MaxBodyBytes, "contract", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var errors = body.Errors;
        var rules = new FieldErrors();
        var contract = body.Errors.Has(FieldErrors.BodyField) ? null : ContractValidation.Validate(id, body.Value, rules);
        errors.AddRuleErrors(rules);
        if (contract is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The contract is not valid.");
        }

        var (stored, created) = await store.PutAsync(contract, AccessContext.For(user, "manage payer contracts"), cancellationToken);
        return created ? TypedResults.Created($"/api/v1/contracts/{stored.Id}", stored) : TypedResults.Ok(stored);
    }

    internal static async Task<Results<NoContent, NotFound>> DeleteAsync(string id, ClaimsPrincipal user, ContractStore store, CancellationToken cancellationToken) =>
        ContractValidation.IsValidId(id) && await store.DeleteAsync(id, AccessContext.For(user, "manage payer contracts"), cancellationToken)
            ? TypedResults.NoContent()
            : TypedResults.NotFound();
}
