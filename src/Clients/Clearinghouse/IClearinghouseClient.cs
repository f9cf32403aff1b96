namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>Asks the clearinghouse about one person's coverage, through the resilient HTTP pipeline.</summary>
public interface IClearinghouseClient
{
    /// <summary>
    /// Sends the inquiry (retrying transport faults) and returns the answer as received.
    /// </summary>
    /// <returns>The answer for HTTP 200, and for a 400 whose JSON carries AAA errors (payer rejections, never retried here).</returns>
    /// <exception cref="ClearinghouseUnavailableException">No readable answer: see its <see cref="ClearinghouseUnavailableException.Reason"/> and <see cref="ClearinghouseUnavailableException.IsTransient"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ClearinghouseAnswer> CheckEligibilityAsync(EligibilityInquiry inquiry, CancellationToken cancellationToken);
}
