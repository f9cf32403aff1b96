namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// Asks a clearinghouse about one person's coverage and returns what it said, normalised. This is the whole boundary:
/// the wire format (today the v3 eligibility JSON, through the resilient HTTP pipeline of <c>ClearinghouseClient</c>)
/// is read behind it, and callers work only with the <see cref="Eligibility.EligibilityReading"/> and keep the raw
/// answer as an opaque string for the audit copy. A second clearinghouse with another API shape is one more
/// implementation of this interface, with its own request, parsing and pipeline; nothing outside <c>src/Clients</c> changes.
/// </summary>
public interface IClearinghouseClient
{
    /// <summary>
    /// Sends the inquiry (retrying transport faults), reads the answer and returns it normalised, with the raw answer,
    /// status, elapsed time and attempts.
    /// </summary>
    /// <returns>
    /// The answer for HTTP 200, and for a 400 whose body carries AAA errors (payer rejections, never retried here). A body
    /// that could not be read still comes back, with <see cref="Eligibility.EligibilityReading.IsReadable"/> false.
    /// </returns>
    /// <exception cref="ClearinghouseUnavailableException">No eligibility answer came back: see its <see cref="ClearinghouseUnavailableException.Reason"/> and <see cref="ClearinghouseUnavailableException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ClearinghouseAnswer> CheckEligibilityAsync(EligibilityInquiry inquiry, CancellationToken cancellationToken);
}
