using CoverageCheck.Estimator;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>What the sandbox payer remitted for a batch: the 835, and the rows it paid nothing on and why.</summary>
internal sealed record SandboxBatchRemittance(string Text, int Claims, IReadOnlyList<string> Skipped);

/// <summary>
/// The sandbox payer's 835 for what a census batch verified (issue #19: the loop runs end to end on a laptop): one claim
/// per completed row, billed with its <c>patient_ref</c> as the patient control number, every planned IOP day up to
/// <c>through</c> at the row's charge per day, adjudicated by the in-process sandbox against its members. The sandbox
/// allows what the payer table says a day, except where it deliberately differs (Humana, $380 against $400 configured:
/// <see cref="SandboxRemittanceSettings.DefaultAllowedPerDayByPayer"/>), so the accuracy report has a known error to show.
/// Only when the built-in sandbox answers (<c>Clearinghouse:BaseUrl</c> empty); never against a real clearinghouse.
/// </summary>
internal sealed class SandboxRemittanceIssuer(
    IServiceProvider services,
    BatchStore batches,
    AuditStore audit,
    PayerDirectory payers,
    IOptionsMonitor<RateCardOptions> rateCard,
    TimeProvider timeProvider)
{
    public bool Available => services.GetService<SandboxClearinghouse>() is not null;

    public async Task<SandboxBatchRemittance?> IssueAsync(Guid batchId, DateOnly through, AccessContext access, CancellationToken cancellationToken)
    {
        if (services.GetService<SandboxClearinghouse>() is not { } sandbox || await batches.GetAsync(batchId, cancellationToken) is null)
        {
            return null;
        }

        var sources = await batches.ListReportSourcesAsync(batchId, cancellationToken);
        await audit.AppendAsync(access, AuditActions.Read, AuditRecordTypes.Batch, batchId.ToString(), cancellationToken);
        var claims = new List<SandboxClaimRequest>();
        var lines = new List<int>();
        var skipped = new List<string>();
        foreach (var source in sources)
        {
            if (source.Row.VerificationStatus != VerificationStatus.Completed || source.PayloadJson is null)
            {
                skipped.Add($"line {source.Row.Line}: not verified ({source.Row.VerificationStatus ?? source.Row.ErrorCode ?? "rejected"})");
                continue;
            }

            var payload = VerificationJson.ReadPayload(source.PayloadJson);
            var charge = payload.Pricing?.ChargePerDay ?? rateCard.CurrentValue.ChargePerDay ?? rateCard.CurrentValue.ChargeRangeHigh ?? 450m;
            var days = payload.Program is { } program ? SessionDates(program, charge).Where(d => d <= through).ToList() : [];
            if (days.Count == 0)
            {
                skipped.Add($"line {source.Row.Line}: no program day on or before {through:yyyy-MM-dd}");
                continue;
            }

            claims.Add(new SandboxClaimRequest(
                payload.PatientRef ?? source.Row.VerificationId!.Value.ToString("N")[..20],
                payload.Insurance.PayerId,
                payload.Insurance.MemberId,
                payload.Patient.FirstName,
                payload.Patient.LastName,
                days,
                charge));
            lines.Add(source.Row.Line);
        }

        if (claims.Count == 0)
        {
            return new SandboxBatchRemittance("", 0, skipped);
        }

        var allowed = payers.All
            .Where(p => p.AllowedPerDay is not null)
            .ToDictionary(p => p.Id, p => p.AllowedPerDay!.Value, StringComparer.Ordinal);
        foreach (var (payerId, rate) in SandboxRemittanceSettings.DefaultAllowedPerDayByPayer)
        {
            allowed[payerId] = rate; // the sandbox's deliberate difference wins
        }

        var settings = new SandboxRemittanceSettings(DateOnly.FromDateTime(timeProvider.GetUtcNow().UtcDateTime))
        {
            AllowedPerDay = rateCard.CurrentValue.AllowedPerDay ?? SandboxRemittanceSettings.DefaultAllowedPerDay,
            AllowedPerDayByPayer = allowed,
            TraceNumber = "SBX" + batchId.ToString("N")[..8].ToUpperInvariant(),
            InterchangeControlNumber = (int)(timeProvider.GetUtcNow().ToUnixTimeSeconds() % 1_000_000_000),
        };
        var state = await sandbox.GetStateAsync(cancellationToken);
        var remittance = SandboxRemittances.Adjudicate(claims, settings, state);
        skipped.AddRange(remittance.Skipped.Select(s => $"line {lines[s.Index]}: {s.Reason}"));
        return new SandboxBatchRemittance(remittance.Text, claims.Count - remittance.Skipped.Count, skipped);
    }

    /// <summary>The program's planned session dates, as the estimator schedules them.</summary>
    private static IReadOnlyList<DateOnly> SessionDates(ProgramInfo program, decimal charge)
    {
        var result = CostEstimator.Estimate(new EstimateRequest
        {
            Program = new ProgramSchedule { StartDate = program.StartDate, Weeks = program.Weeks, DaysPerWeek = program.DaysPerWeek },
            Pricing = new Pricing(charge),
            IncludeSessionsDetail = true,
        });
        return [.. result.SessionsDetail.Select(s => s.Date)];
    }
}
