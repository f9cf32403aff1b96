using System.Text.Json;
using System.Security.Claims;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Features.Verifications.Completions;

/// <summary>What entering a completion came to.</summary>
internal enum CompletionOutcome
{
    Completed,
    NotFound,

    /// <summary>The verification holds no payer answer with coverage to complete (queued, or the payer found no one).</summary>
    NothingToComplete,

    /// <summary>Another write changed the verification meanwhile; the caller may try again.</summary>
    Conflict,
}

/// <summary>
/// Completing a verification by phone or portal (issue #17): the completion is stored as entered (encrypted, never
/// edited), and the verification's coverage and estimate are computed again from the payer's answer with every
/// completion applied in order; the assumptions say which values came from which call. One transaction writes the
/// completion, the verification's new result and the audit entries.
/// </summary>
internal sealed class CompletionService(
    IDbConnectionFactory database,
    VerificationStore store,
    VerificationEstimator estimator,
    PayerDirectory payers,
    ContractStore contracts,
    AuthorizationStore authorizations,
    PhiProtector phi,
    TimeProvider timeProvider)
{
    internal const string CompletionColumn = "verification_completions.completion_cipher";

    public async Task<(CompletionOutcome Outcome, VerificationRecord? Record)> CompleteAsync(Guid id, Completion completion, AccessContext access, CancellationToken cancellationToken)
    {
        var record = await store.GetAsync(id, access, cancellationToken);
        if (record is null)
        {
            return (CompletionOutcome.NotFound, null);
        }

        var result = VerificationJson.ReadResult(record.ResultJson);
        var payerCoverage = result?.PayerCoverage ?? result?.Coverage;
        if (result is null || payerCoverage is null || record.Status != VerificationStatus.Completed)
        {
            return (CompletionOutcome.NothingToComplete, record);
        }

        var payload = VerificationJson.ReadPayload(record.PayloadJson);
        // A followed carve-out's figures are the administrator's: our network status is the one with it (#16).
        var listed = payers.Find(payerCoverage.BenefitsFrom?.PayerId ?? payload.Insurance.PayerId);
        // #17: the contract the verification matched (as it stands now) and its authorisations price the estimate too.
        var contract = result.Contract is { } matched && await contracts.GetAsync(matched.Id, cancellationToken) is { } current
            ? new ContractMatchResult(current, matched.MatchedOn)
            : null;
        var onFile = payload.Program is null ? null : await authorizations.ForEstimateAsync(id, cancellationToken);
        var completions = (IReadOnlyList<Completion>)[.. result.Completions, completion];
        var (coverage, fromCalls) = CompletionMerge.Apply(payerCoverage, completions);

        // The reading's own notes stay; the estimate's assumptions are those of the estimate made again.
        var assumptions = result.Assumptions.ToList();
        var estimate = result.Estimate;
        if (payload.Program is not null)
        {
            var before = result.PayerCoverage is null ? estimator.Estimate(payload, payerCoverage, listed, contract, onFile).Assumptions : result.EstimateAssumptions;
            foreach (var old in before.Concat(result.CompletionAssumptions))
            {
                assumptions.Remove(old);
            }

            var (again, estimateAssumptions) = estimator.Estimate(payload, coverage, listed, contract, onFile);
            estimate = again;
            result = result with { EstimateAssumptions = estimateAssumptions };
            assumptions.AddRange(estimateAssumptions);
        }
        else
        {
            foreach (var old in result.CompletionAssumptions)
            {
                assumptions.Remove(old);
            }
        }

        assumptions.AddRange(fromCalls);
        var completed = result with
        {
            PayerCoverage = payerCoverage,
            Coverage = coverage,
            Estimate = estimate,
            Assumptions = assumptions,
            CompletionAssumptions = fromCalls,
            Completions = completions,
        };

        var now = timeProvider.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var write = await Sql.BeginWriteAsync(connection, cancellationToken);
        var transaction = write.Transaction;
        var cipher = phi.ProtectBytes(
            JsonSerializer.SerializeToUtf8Bytes(completion, VerificationsJsonContext.Default.Completion), completion.Id, CompletionColumn);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO verification_completions (id, verification_id, created_at, created_by, completion_cipher)
            VALUES (@Id, @verificationId, @EnteredAt, @EnteredBy, @cipher)
            """, new { completion.Id, verificationId = id, completion.EnteredAt, EnteredBy = Sql.Truncate(completion.EnteredBy, 128), cipher }, transaction, cancellationToken: cancellationToken));
        var updated = await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE verifications SET result_cipher = @resultCipher, updated_at = @now, version = version + 1
            WHERE id = @id AND version = @version AND status = 'completed'
            """, new { id, now, version = record.Version, resultCipher = phi.Protect(VerificationJson.Write(completed), id, VerificationStore.ResultColumn) },
            transaction, cancellationToken: cancellationToken));
        if (updated != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (CompletionOutcome.Conflict, record);
        }

        await AuditStore.AppendAsync(connection, transaction, access, AuditActions.Create, AuditRecordTypes.Completion, completion.Id.ToString(), now, cancellationToken);
        await AuditStore.AppendAsync(connection, transaction, access with { Purpose = access.Purpose + " (completion " + completion.Id + ")" }, AuditActions.Update, AuditRecordTypes.Verification, id.ToString(), now, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (CompletionOutcome.Completed, record with { ResultJson = VerificationJson.Write(completed), Version = record.Version + 1 });
    }
}

internal static class CompletionApi
{
    private const int MaxBodyBytes = 16 * 1024;

    public static void MapCompletion(this RouteGroupBuilder group) =>
        group.MapPost("/{id:guid}/completion", CompleteAsync)
            .RequireAuthorization(Policies.VerificationsWrite)
            .Accepts<CompletionRequest>("application/json")
            .WithSummary("Complete a verification with what the payer's representative (or portal) said; 200 with the verification recomputed.");

    internal static async Task<Results<Ok<VerificationResponse>, ValidationProblem, ProblemHttpResult, NotFound>> CompleteAsync(
        Guid id,
        HttpRequest request,
        ClaimsPrincipal user,
        CompletionService completions,
        Consents.ConsentStore consents,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync(request, VerificationsJsonContext.Default.CompletionRequest, MaxBodyBytes, "completion", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var access = AccessContext.For(user, "complete verification");
        var rules = new FieldErrors();
        var completion = body.Value is { } read ? CompletionValidation.Validate(read, access.Actor, timeProvider.GetUtcNow(), rules) : null;
        var errors = body.Errors;
        errors.AddRuleErrors(rules);
        if (completion is null || !errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The completion is not valid.");
        }

        var (outcome, record) = await completions.CompleteAsync(id, completion, access, cancellationToken);
        return outcome switch
        {
            CompletionOutcome.NotFound => TypedResults.NotFound(),
            CompletionOutcome.NothingToComplete => TypedResults.Problem(
                "This verification holds no coverage from the payer to complete (it is waiting for the payer, or the payer found no one). Verify again, or record the call in a note on a new verification.",
                statusCode: StatusCodes.Status409Conflict, title: "Nothing to complete"),
            CompletionOutcome.Conflict => TypedResults.Problem("The verification changed meanwhile; send the completion again.", statusCode: StatusCodes.Status409Conflict, title: "Changed meanwhile"),
            _ => TypedResults.Ok(VerificationResponse.From(record!, await consents.DescribeAsync(record!.ConsentId, cancellationToken))),
        };
    }
}
