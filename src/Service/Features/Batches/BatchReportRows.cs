using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// Turns a stored batch row, with its verification's request and result, into a report row. What the result does
/// not say stays unknown (null), never zero.
/// </summary>
internal static class BatchReportRows
{
    /// <param name="row">The batch row and its verification's state.</param>
    /// <param name="payload">The verification request (for the program dates), or null.</param>
    /// <param name="result">The verification result, or null when there is none yet.</param>
    /// <param name="payerName">The payer's name from the payer table, used when the answer has none.</param>
    public static BatchReportRow From(BatchRowRecord row, VerificationPayload? payload, VerificationResult? result, string? payerName)
    {
        if (row.VerificationId is null)
        {
            return new BatchReportRow
            {
                Line = row.Line,
                PatientRef = row.PatientRef,
                Status = BatchRowStatus.Rejected,
                ErrorCode = row.ErrorCode,
                ErrorDescription = row.Error,
            };
        }

        var program = payload?.Program is { Weeks: > 0 } planned ? planned : null;
        var report = new BatchReportRow
        {
            Line = row.Line,
            PatientRef = row.PatientRef,
            Status = row.VerificationStatus ?? BatchRowStatus.Queued,
            PayerId = row.PayerId,
            PayerName = payerName,
            ProgramStart = payload?.Program?.StartDate,
            ProgramEnd = program?.End,
            // A payload stored without its patient (only the program) says nothing of the relationship.
            Relationship = payload?.Patient is { } patient ? patient.RelationshipToSubscriber ?? CoverageCheck.Clients.Relationships.Self : null,
            ErrorCode = row.LastErrorCode,
            ErrorDescription = row.LastError,
        };

        return result is null ? report : WithResult(report, result);
    }

    private static BatchReportRow WithResult(BatchReportRow report, VerificationResult result)
    {
        var coverage = result.Coverage;
        var inNetwork = coverage?.InNetwork;
        var deductible = inNetwork?.Deductible?.Individual;
        var totals = result.Estimate?.Totals;
        var firstError = result.Errors.Count > 0 ? result.Errors[0] : null;

        return report with
        {
            Active = coverage?.Active,
            PayerName = result.Payer?.Name ?? report.PayerName,
            PlanName = coverage?.PlanName,
            SentAs = result.Inquiry?.SentAs,
            // An eligibility end, or a plan end that is not the end of a renewing plan year (#15: NormalizedCoverage.CoverageEnds).
            CoverageEnd = coverage?.CoverageEnds,
            OtherCoverage = coverage is { OtherCoverage.Count: > 0 } ? string.Join("; ", coverage.OtherCoverage.Select(ReportText.OtherCoverage)) : null,
            NonCovered = coverage?.NonCovered is { } nonCovered ? ReportText.NonCovered(nonCovered) : null,
            Administrator = coverage is null ? null : ReportText.Administrator(coverage),
            Contract = result.Contract is { } contract ? $"{contract.Id} ({contract.MatchedOn})" : null,
            DeductibleTotal = deductible?.Total,
            DeductibleRemaining = deductible?.Remaining,
            OutOfPocketRemaining = inNetwork?.OutOfPocketMax?.Individual?.Remaining,
            CopayPerDay = inNetwork?.CopayPerDay,
            CoinsurancePercent = inNetwork?.CoinsurancePercent,
            PriorAuthorizationRequired = inNetwork?.PriorAuthorizationRequired,
            EstimatedPatientTotal = totals?.Patient,
            EstimatedPayerTotal = totals?.Payer,
            EstimatedSelfPayTotal = result.Estimate?.Breakdown?.SelfPay,
            CarvedOut = coverage is { CarveOut: not null, BenefitsFrom: null },
            Flags = ReportFlags.Describe(result, report.ProgramEnd),
            // Our wording for the code, never the payer's free text (it can echo the patient's name or date of birth).
            ErrorCode = firstError is null ? report.ErrorCode : PayerErrorText.Code(firstError.Code),
            ErrorDescription = firstError is null ? report.ErrorDescription : PayerErrorText.Describe(firstError),
        };
    }
}
