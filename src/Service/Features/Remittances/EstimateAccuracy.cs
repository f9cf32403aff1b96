using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>
/// <c>GET /api/v1/reports/estimate-accuracy</c> (http-api.md "Estimate accuracy"): each matched patient's estimate for
/// the days the payer remitted against what the payer left to the patient, the error per payer and per contract, the
/// allowed amount per IOP day the payers really paid on beside the one configured, and the Good Faith Estimates
/// exceeded by the No Surprises Act's dispute threshold.
/// </summary>
internal sealed record EstimateAccuracyReport(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<AccuracyPatient> Patients,
    IReadOnlyList<AccuracyGroup> ByPayer,
    IReadOnlyList<AccuracyGroup> ByContract,
    IReadOnlyList<GoodFaithEstimateExceeded> GoodFaithEstimatesExceeded)
{
    /// <summary>Every patient together.</summary>
    public required AccuracyTotals Total { get; init; }
}

/// <summary>
/// One patient (one verification): the estimate for the remitted days and the payer's actual patient responsibility,
/// error = estimated − actual (positive: the estimate was higher), error percent of the actual (null when it is 0).
/// </summary>
internal sealed record AccuracyPatient(
    Guid VerificationId,
    string? PatientRef,
    string PayerId,
    int Days,
    decimal EstimatedPatient,
    decimal ActualPatient,
    decimal Error,
    decimal? ErrorPercent)
{
    public string? ContractId { get; init; }
    public int Claims { get; init; }
    public decimal EstimatedDeductible { get; init; }
    public decimal EstimatedCoinsurance { get; init; }
    public decimal EstimatedCopay { get; init; }
    public decimal ActualDeductible { get; init; }
    public decimal ActualCoinsurance { get; init; }
    public decimal ActualCopay { get; init; }
    public decimal ActualOther { get; init; }

    /// <summary>Days the payer denied outright (no allowed amount): not graded (see <see cref="Notes"/>).</summary>
    public int DeniedDays { get; init; }

    /// <summary>Remitted days the estimate did not plan (attended outside the planned schedule); estimated at 0.</summary>
    public int UnplannedDays { get; init; }

    /// <summary>The allowed amount per day the payer paid on (median of the patient's remitted days).</summary>
    public decimal? AllowedPerDay { get; init; }

    /// <summary>
    /// The program re-estimated with what was remitted: the remitted days at their actual patient amounts, the rest
    /// estimated with the deductible, out-of-pocket and visits the remitted days used (null without an estimate).
    /// </summary>
    public decimal? ProjectedPatientTotal { get; init; }

    /// <summary>The patient amount of the original estimate for the whole program.</summary>
    public decimal? EstimatedPatientTotal { get; init; }

    /// <summary>Why the row is as it is, in words (no estimate, unplanned days, approximate projection).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>Observed allowed amount per IOP day (one value per remitted day with an allowed amount) beside the configured one.</summary>
internal sealed record AllowedPerDayStats(decimal? Median, decimal? Min, decimal? Max, int Count, decimal? Configured)
{
    /// <summary>Where <see cref="Configured"/> comes from: <c>contract</c>, <c>payer</c> (Payers:N:AllowedPerDay) or <c>rateCard</c>.</summary>
    public string? ConfiguredFrom { get; init; }

    /// <summary>The observed median, when it differs from the configured amount on at least <see cref="EstimateAccuracyService.MinDaysForSuggestion"/> days.</summary>
    public decimal? Suggested { get; init; }
}

/// <summary>A payer's (or a contract's) patients together: mean absolute error and bias (mean error) over its patients.</summary>
internal sealed record AccuracyGroup(string PayerId, int Claims, decimal MeanAbsoluteError, decimal Bias, AllowedPerDayStats AllowedPerDay)
{
    public string? PayerName { get; init; }

    /// <summary>For <c>byContract</c>: the contract; null groups the payer's patients without one.</summary>
    public string? ContractId { get; init; }

    public int Patients { get; init; }
    public decimal EstimatedPatient { get; init; }
    public decimal ActualPatient { get; init; }
}

internal sealed record AccuracyTotals(int Patients, int Claims, decimal EstimatedPatient, decimal ActualPatient, decimal MeanAbsoluteError, decimal Bias);

/// <summary>A Good Faith Estimate the patient was billed $400 or more above (billed: the patient responsibility remitted).</summary>
internal sealed record GoodFaithEstimateExceeded(Guid EstimateId, decimal Estimated, decimal Billed, decimal Over)
{
    public Guid VerificationId { get; init; }
    public string? EstimateNumber { get; init; }
}

/// <summary>Builds the estimate-accuracy report from the stored remittances and the verifications they matched.</summary>
internal sealed class EstimateAccuracyService(
    RemittanceStore remittances,
    VerificationStore verifications,
    VerificationEstimator estimator,
    AuthorizationStore authorizations,
    ContractStore contracts,
    GoodFaithEstimateStore goodFaithEstimates,
    GoodFaithEstimateDocument goodFaithDocument,
    PayerDirectory payers,
    IOptionsMonitor<RateCardOptions> rateCard)
{
    /// <summary>Remitted days needed before the observed allowed amount is suggested as the configured one.</summary>
    public const int MinDaysForSuggestion = 5;

    public async Task<EstimateAccuracyReport> BuildAsync(DateOnly from, DateOnly to, AccessContext access, CancellationToken cancellationToken)
    {
        var rows = await remittances.MatchedClaimsAsync(from, to, cancellationToken);
        var files = new Dictionary<Guid, RemittanceResponse>();
        foreach (var remittanceId in rows.Select(r => r.RemittanceId).Distinct())
        {
            if (await remittances.GetAsync(remittanceId, access, cancellationToken) is { } remittance)
            {
                files[remittanceId] = remittance;
            }
        }

        var patients = new List<(AccuracyPatient Row, List<decimal> AllowedDays, decimal? ConfiguredAllowed, string? ConfiguredFrom)>();
        var exceeded = new List<GoodFaithEstimateExceeded>();
        foreach (var group in rows.GroupBy(r => r.VerificationId))
        {
            var claims = group
                .Where(r => files.ContainsKey(r.RemittanceId) && r.Position < files[r.RemittanceId].Claims.Count)
                .Select(r => files[r.RemittanceId].Claims[r.Position])
                .ToList();
            if (claims.Count == 0 || await verifications.GetAsync(group.Key, access, cancellationToken) is not { } record)
            {
                continue;
            }

            var (row, allowedDays, configured, configuredFrom) = await PatientAsync(record, claims, cancellationToken);
            patients.Add((row, allowedDays, configured, configuredFrom));
            var issuedEstimates = await goodFaithEstimates.ListAsync(record.Id, cancellationToken);
            // A Good Faith Estimate is the self-pay estimate of the verification's program: priced once for all issued.
            var estimated = issuedEstimates.Count == 0 ? 0m : goodFaithDocument.SelfPayEstimate(VerificationJson.ReadPayload(record.PayloadJson)).Totals.Patient;
            foreach (var issued in issuedEstimates)
            {
                var over = row.ActualPatient - estimated;
                if (over >= GoodFaithEstimateDocument.DisputeThreshold)
                {
                    exceeded.Add(new GoodFaithEstimateExceeded(issued.Id, estimated, row.ActualPatient, over) { VerificationId = record.Id, EstimateNumber = issued.EstimateNumber });
                }
            }
        }

        var byPayer = patients.GroupBy(p => p.Row.PayerId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Group(g.Key, null, [.. g]) with { PayerName = payers.Find(g.Key)?.Name })
            .ToList();
        var byContract = patients.GroupBy(p => (p.Row.PayerId, p.Row.ContractId))
            .OrderBy(g => g.Key.PayerId, StringComparer.Ordinal).ThenBy(g => g.Key.ContractId, StringComparer.Ordinal)
            .Select(g => Group(g.Key.PayerId, g.Key.ContractId, [.. g]) with { PayerName = payers.Find(g.Key.PayerId)?.Name })
            .ToList();
        var all = patients.Select(p => p.Row).ToList();
        return new EstimateAccuracyReport(from, to, all, byPayer, byContract, exceeded)
        {
            Total = new AccuracyTotals(all.Count, all.Sum(p => p.Claims), all.Sum(p => p.EstimatedPatient), all.Sum(p => p.ActualPatient), Mae(all), Bias(all)),
        };
    }

    private async Task<(AccuracyPatient Row, List<decimal> AllowedDays, decimal? Configured, string? ConfiguredFrom)> PatientAsync(
        VerificationRecord record, IReadOnlyList<RemittanceClaimDto> claims, CancellationToken cancellationToken)
    {
        var payload = VerificationJson.ReadPayload(record.PayloadJson);
        var result = VerificationJson.ReadResult(record.ResultJson);
        var notes = new List<string>();

        // The days the payer adjudicated, netted across claims (a reversal's negative lines cancel the original's): a
        // date whose lines the payer allowed something on is graded; a date it denied outright (coverage ended, a
        // visit limit, a carve-out) is not: what the patient owes for it is the program's self-pay bill, not the
        // payer's patient responsibility, and is listed in the notes instead.
        var byDate = claims
            .SelectMany(c => c.Lines.Where(l => l.Date is not null).Select(l => (Date: l.Date!.Value, Line: l)))
            .GroupBy(x => x.Date)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Line).ToList());
        var remittedDays = byDate.Where(d => d.Value.Sum(l => l.Allowed ?? 0m) > 0m).Select(d => d.Key).ToHashSet();
        var deniedDays = byDate.Where(d => d.Value.Sum(l => l.Allowed ?? 0m) <= 0m && d.Value.Sum(l => l.Billed ?? 0m) > 0m).Select(d => d.Key).Order().ToList();
        var graded = claims.SelectMany(c => c.Adjustments)
            .Concat(byDate.Where(d => remittedDays.Contains(d.Key)).SelectMany(d => d.Value).SelectMany(l => l.Adjustments))
            .Where(a => a.Group == "PR")
            .ToList();
        var actualDeductible = graded.Where(a => a.Reason == "1").Sum(a => a.Amount);
        var actualCoinsurance = graded.Where(a => a.Reason == "2").Sum(a => a.Amount);
        var actualCopay = graded.Where(a => a.Reason == "3").Sum(a => a.Amount);
        var actualOther = graded.Where(a => a.Reason is not ("1" or "2" or "3")).Sum(a => a.Amount);
        var actual = actualDeductible + actualCoinsurance + actualCopay + actualOther;
        if (deniedDays.Count > 0)
        {
            var reasons = byDate.Where(d => deniedDays.Contains(d.Key)).SelectMany(d => d.Value).SelectMany(l => l.Adjustments)
                .Select(a => $"{a.Group} {a.Reason}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
            notes.Add($"{deniedDays.Count} day(s) denied by the payer ({string.Join(", ", reasons)}), {Wording(deniedDays[0])} to {Wording(deniedDays[^1])}: not graded; the program bills those days to the patient as self-pay.");
        }

        // The allowed amount per remitted day: a day's lines together, on claims the payer processed (not denied or reversed).
        var allowedDays = claims.Where(c => c.StatusText == "processed")
            .SelectMany(c => c.Lines)
            .Where(l => l.Date is not null && l.Allowed is > 0m)
            .GroupBy(l => l.Date!.Value)
            .Select(g => g.Sum(l => l.Allowed!.Value))
            .ToList();

        var contract = result?.Contract is { } matched ? await contracts.GetAsync(matched.Id, cancellationToken) : null;
        var listed = payers.Find(result?.Coverage?.BenefitsFrom?.PayerId ?? payload.Insurance.PayerId);
        var (configured, configuredFrom) = contract?.AllowedPerDay is { } c ? (c, "contract")
            : listed?.AllowedPerDay is { } p ? (p, "payer")
            : rateCard.CurrentValue.AllowedPerDay is { } r ? (r, "rateCard") : ((decimal?)null, (string?)null);

        decimal estimated = 0, estimatedDeductible = 0, estimatedCoinsurance = 0, estimatedCopay = 0;
        decimal? projected = null, estimatedTotal = null;
        var unplanned = 0;
        if (result?.Coverage is { } coverage && payload.Program is not null)
        {
            var onFile = (await authorizations.ListAsync(record.Id, cancellationToken))
                .Where(a => a.SupersededBy is null)
                .Select(a => new Estimator.Authorization(AuthorizationStatuses.ToEstimator(a.Status), a.Days, a.EffectiveDate, a.ExpirationDate))
                .ToList();
            var terms = contract is null ? null : new ContractMatchResult(contract, result.Contract!.MatchedOn);
            var (estimate, _) = estimator.Estimate(payload, coverage, listed, terms, onFile.Count > 0 ? onFile : null, includeSessions: true);
            if (estimate?.SessionsDetail is { } sessions)
            {
                var planned = sessions.Where(s => remittedDays.Contains(s.Date)).ToList();
                estimated = planned.Sum(s => s.Patient);
                estimatedDeductible = planned.Sum(s => s.Deductible);
                estimatedCoinsurance = planned.Sum(s => s.Coinsurance);
                estimatedCopay = planned.Sum(s => s.Copay);
                unplanned = remittedDays.Count - planned.Count;
                estimatedTotal = estimate.Totals.Patient;
                var lastRemitted = remittedDays.DefaultIfEmpty().Max();
                var remaining = sessions.Select(s => s.Date).Where(d => d > lastRemitted).ToList();
                projected = actual;
                if (remaining.Count > 0)
                {
                    var (rest, _) = estimator.Estimate(payload, coverage, listed, terms, onFile.Count > 0 ? onFile : null,
                        remitted: new RemittedSoFar(remaining, actualDeductible, actual, remittedDays.Count));
                    projected = rest is null ? null : actual + rest.Totals.Patient;
                }
                if (unplanned > 0)
                {
                    notes.Add($"{unplanned} remitted day(s) were not in the planned schedule: estimated at $0.00.");
                }
            }
        }
        else
        {
            notes.Add("No estimate on file for this verification (no benefits or no program): estimated at $0.00.");
        }

        var error = estimated - actual;
        return (new AccuracyPatient(record.Id, payload.PatientRef, record.PayerId, remittedDays.Count, estimated, actual, error,
            actual == 0 ? null : Math.Round(error / actual * 100m, 1, MidpointRounding.AwayFromZero))
        {
            ContractId = contract?.Id,
            Claims = claims.Count,
            EstimatedDeductible = estimatedDeductible,
            EstimatedCoinsurance = estimatedCoinsurance,
            EstimatedCopay = estimatedCopay,
            ActualDeductible = actualDeductible,
            ActualCoinsurance = actualCoinsurance,
            ActualCopay = actualCopay,
            ActualOther = actualOther,
            UnplannedDays = unplanned,
            DeniedDays = deniedDays.Count,
            AllowedPerDay = Median(allowedDays),
            ProjectedPatientTotal = projected,
            EstimatedPatientTotal = estimatedTotal,
            Notes = notes,
        }, allowedDays, configured, configuredFrom);
    }

    private static AccuracyGroup Group(string payerId, string? contractId, IReadOnlyList<(AccuracyPatient Row, List<decimal> AllowedDays, decimal? Configured, string? ConfiguredFrom)> members)
    {
        var rows = members.Select(m => m.Row).ToList();
        var days = members.SelectMany(m => m.AllowedDays).ToList();
        var configured = members.Select(m => m.Configured).FirstOrDefault(c => c is not null);
        var median = Median(days);
        var suggested = median is { } m && configured is { } c && m != c && days.Count >= MinDaysForSuggestion ? m : (decimal?)null;
        return new AccuracyGroup(payerId, rows.Sum(r => r.Claims), Mae(rows), Bias(rows),
            new AllowedPerDayStats(median, days.Count > 0 ? days.Min() : null, days.Count > 0 ? days.Max() : null, days.Count, configured)
            {
                ConfiguredFrom = members.Select(x => x.ConfiguredFrom).FirstOrDefault(f => f is not null),
                Suggested = suggested,
            })
        {
            ContractId = contractId,
            Patients = rows.Count,
            EstimatedPatient = rows.Sum(r => r.EstimatedPatient),
            ActualPatient = rows.Sum(r => r.ActualPatient),
        };
    }

    private static string Wording(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // Over the patients with at least one graded day: a patient whose every day was denied has nothing to grade.
    private static decimal Mae(IReadOnlyCollection<AccuracyPatient> rows) =>
        rows.Where(r => r.Days > 0).Select(r => Math.Abs(r.Error)).DefaultIfEmpty().Average() is var mae ? Math.Round(mae, 2, MidpointRounding.AwayFromZero) : 0m;

    private static decimal Bias(IReadOnlyCollection<AccuracyPatient> rows) =>
        rows.Where(r => r.Days > 0).Select(r => r.Error).DefaultIfEmpty().Average() is var bias ? Math.Round(bias, 2, MidpointRounding.AwayFromZero) : 0m;

    internal static decimal? Median(IReadOnlyList<decimal> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : Math.Round((sorted[middle - 1] + sorted[middle]) / 2m, 2, MidpointRounding.AwayFromZero);
    }
}
