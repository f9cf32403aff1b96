namespace CoverageCheck.Service.Features.Batches;

/// <summary>How far a batch has come: rows by status, how many are done, and when the rest should be.</summary>
/// <param name="Counts">Rows per status (verification statuses, plus <c>rejected</c>), every status present.</param>
/// <param name="Total">All census rows.</param>
/// <param name="Done">Rows with nothing left to do: answered, failed, waiting for review, or rejected.</param>
/// <param name="Percent">Done as a share of the total, 0–100, rounded down (100 only when all are done).</param>
/// <param name="EstimatedCompletion">When the remaining rows should be done at the pace so far; null when done or not yet measurable.</param>
internal sealed record BatchProgress(
    IReadOnlyDictionary<string, int> Counts,
    int Total,
    int Done,
    int Percent,
    DateTimeOffset? EstimatedCompletion)
{
    private static readonly string[] Statuses =
    [
        BatchRowStatus.Queued, BatchRowStatus.InProgress, BatchRowStatus.Completed, BatchRowStatus.Failed,
        BatchRowStatus.NeedsReview, BatchRowStatus.Rejected,
    ];

    public int Pending => Counts[BatchRowStatus.Queued] + Counts[BatchRowStatus.InProgress];

    /// <summary>
    /// Progress from row counts. The pace is the verifications finished since the batch started; rejected rows cost
    /// nothing and do not count towards it.
    /// </summary>
    public static BatchProgress Compute(IReadOnlyDictionary<string, int> counts, DateTimeOffset startedAt, DateTimeOffset now)
    {
        var all = Statuses.ToDictionary(s => s, s => counts.GetValueOrDefault(s), StringComparer.Ordinal);
        var total = all.Values.Sum();
        var pending = all[BatchRowStatus.Queued] + all[BatchRowStatus.InProgress];
        var done = total - pending;
        var percent = total == 0 ? 100 : (int)(done * 100L / total);

        DateTimeOffset? eta = null;
        var finishedVerifications = done - all[BatchRowStatus.Rejected];
        var elapsed = now - startedAt;
        if (pending > 0 && finishedVerifications > 0 && elapsed > TimeSpan.Zero)
        {
            eta = now + (elapsed / finishedVerifications * pending);
        }

        return new BatchProgress(all, total, done, percent, eta);
    }
}
