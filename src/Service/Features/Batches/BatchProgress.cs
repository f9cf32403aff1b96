namespace CoverageCheck.Service.Features.Batches;

/// <summary>One payer's pace in a batch: rows finished since the batch started, and rows still to be asked.</summary>
/// <param name="PayerId">The payer.</param>
/// <param name="Finished">Its verifications with an answer or given up (completed, failed, needs-review).</param>
/// <param name="Pending">Its rows queued or in progress that the worker is asking now (not those waiting for it to come back).</param>
/// <param name="WaitingForPayer">Its rows waiting because it could not answer.</param>
/// <param name="EstimatedCompletion">When its pending rows should be done at its own pace; null when it has none left or no pace yet.</param>
internal sealed record PayerPace(string PayerId, int Finished, int Pending, int WaitingForPayer, DateTimeOffset? EstimatedCompletion);

/// <summary>How far a batch has come: rows by status, how many are done, and when the rest should be.</summary>
/// <param name="Counts">Rows per status (verification statuses, plus <c>rejected</c>), every status present.</param>
/// <param name="Total">All census rows.</param>
/// <param name="Done">Rows with nothing left to do: answered, failed, waiting for review, or rejected.</param>
/// <param name="Percent">Done as a share of the total, 0–100, rounded down (100 only when all are done).</param>
/// <param name="EstimatedCompletion">
/// When the rows the worker is asking now should be done, at the pace of the slowest payer that has any; null when
/// none is left (only rows waiting for a payer that is down, or none at all) or no payer has a pace yet.
/// </param>
/// <param name="WaitingForPayer">Queued rows waiting because their payer could not answer (counted in <c>queued</c> too).</param>
/// <param name="Payers">Each payer's pace, by payer ID.</param>
internal sealed record BatchProgress(
    IReadOnlyDictionary<string, int> Counts,
    int Total,
    int Done,
    int Percent,
    DateTimeOffset? EstimatedCompletion,
    int WaitingForPayer = 0,
    IReadOnlyList<PayerPace>? Payers = null)
{
    private static readonly string[] Statuses =
    [
        BatchRowStatus.Queued, BatchRowStatus.InProgress, BatchRowStatus.Completed, BatchRowStatus.Failed,
        BatchRowStatus.NeedsReview, BatchRowStatus.Rejected,
    ];

    /// <summary>Rows the worker is still asking: queued or in progress, less those waiting for a payer that is down. The batch is complete at 0.</summary>
    public int Pending => Counts[BatchRowStatus.Queued] + Counts[BatchRowStatus.InProgress] - WaitingForPayer;

    /// <summary>
    /// Progress from row counts. The pace is the verifications finished since the batch started; rejected rows cost
    /// nothing and do not count towards it.
    /// </summary>
    public static BatchProgress Compute(IReadOnlyDictionary<string, int> counts, DateTimeOffset startedAt, DateTimeOffset now) =>
        Compute([.. counts.Select(c => new BatchPayerCount { PayerId = "", Status = c.Key, Count = c.Value })], startedAt, now);

    /// <summary>
    /// Progress from row counts per payer (<see cref="BatchRowStatus.WaitingForPayer"/> rows are queued rows whose
    /// payer could not answer). Each payer's remaining rows are projected at that payer's own pace since the batch
    /// started (a census is mostly a few payers, and one slow payer must not look fast because the others are); the
    /// batch's estimate is the latest of them. A payer with rows left but none finished yet borrows the batch's pace.
    /// Rows waiting for a payer that is down are not projected: when they are tried next is the honest answer.
    /// </summary>
    public static BatchProgress Compute(IReadOnlyList<BatchPayerCount> counts, DateTimeOffset startedAt, DateTimeOffset now)
    {
        var all = Statuses.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
        var waiting = 0;
        foreach (var count in counts)
        {
            if (count.Status == BatchRowStatus.WaitingForPayer)
            {
                waiting += count.Count;
                all[BatchRowStatus.Queued] += count.Count;
            }
            else if (all.ContainsKey(count.Status))
            {
                all[count.Status] += count.Count;
            }
        }

        var total = all.Values.Sum();
        var unfinished = all[BatchRowStatus.Queued] + all[BatchRowStatus.InProgress];
        var done = total - unfinished;
        var percent = total == 0 ? 100 : (int)(done * 100L / total);
        var elapsed = now - startedAt;
        var finishedAll = done - all[BatchRowStatus.Rejected];

        var payers = counts
            .Where(c => c.Status != BatchRowStatus.Rejected)
            .GroupBy(c => c.PayerId, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var finished = g.Where(c => c.Status is BatchRowStatus.Completed or BatchRowStatus.Failed or BatchRowStatus.NeedsReview).Sum(c => c.Count);
                var pending = g.Where(c => c.Status is BatchRowStatus.Queued or BatchRowStatus.InProgress).Sum(c => c.Count);
                var payerWaiting = g.Where(c => c.Status == BatchRowStatus.WaitingForPayer).Sum(c => c.Count);
                DateTimeOffset? eta = null;
                if (pending > 0 && elapsed > TimeSpan.Zero)
                {
                    var pace = finished > 0 ? elapsed / finished : finishedAll > 0 ? elapsed / finishedAll : (TimeSpan?)null;
                    eta = pace is { } perRow ? now + (perRow * pending) : null;
                }

                return new PayerPace(g.Key, finished, pending, payerWaiting, eta);
            })
            .ToList();

        DateTimeOffset? estimate = null;
        var pendingAll = unfinished - waiting;
        if (pendingAll > 0 && payers.Where(p => p.Pending > 0).All(p => p.EstimatedCompletion is not null))
        {
            estimate = payers.Where(p => p.Pending > 0).Max(p => p.EstimatedCompletion);
        }

        return new BatchProgress(all, total, done, percent, estimate, waiting, payers);
    }
}
