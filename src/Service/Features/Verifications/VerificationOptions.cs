using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>How a verification waits for the payer, and how the worker retries, claims and re-verifies.</summary>
internal sealed class VerificationOptions
{
    public const string SectionName = "Verification";

    /// <summary>How long <c>POST /api/v1/verifications</c> waits for the payer before answering 202.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan RealTimeBudget { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Retryable answers the payer gave about this member (an AAA rejection that asks to resubmit, other than 42/80)
    /// before the verification goes to needs-review: the payer is up and keeps refusing this one inquiry. Calls the
    /// payer could not answer (its outages, timeouts, AAA 42/80, throttling) and calls the breaker refused never count;
    /// those are given up by time (<see cref="GiveUpAfter"/>).
    /// </summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>
    /// How long after its creation a verification is retried while the payer cannot answer, before it goes to
    /// needs-review; never later than the end of the program's start date (UTC) when the program starts after the
    /// verification was created. Payers' maintenance windows last hours.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>First retry delay; it doubles with each attempt, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest single delay between attempts, a payer's <c>Retry-After</c> included.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a claimed item belongs to one worker before another instance may take it over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often the worker looks for due work when nothing woke it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Verifications in flight at once in one worker, across payers. When not set: a quarter above
    /// <c>Clearinghouse:MaxConcurrency</c> (50 for its default 40), because an item also spends time being claimed,
    /// parsed, estimated and written, and those items must not leave the clearinghouse's slots idle. The client's
    /// limiter still caps the calls in flight at the clearinghouse.
    /// </summary>
    [Range(1, 1000)]
    public int? WorkerConcurrency { get; set; }

    /// <summary><see cref="WorkerConcurrency"/>, or a quarter above the clearinghouse's limit when it is not set.</summary>
    public int EffectiveWorkerConcurrency(int clearinghouseMaxConcurrency) =>
        WorkerConcurrency ?? Math.Max(1, clearinghouseMaxConcurrency + (clearinghouseMaxConcurrency / 4));

    /// <summary>
    /// Verifications in flight at once for any one payer; not set by default, so a census of one payer can use every
    /// worker slot and the clearinghouse's <c>MaxConcurrency</c> is the limit. Set it (or a payer's own limit in
    /// <see cref="PayerConcurrency"/>) for a payer that throttles.
    /// </summary>
    [Range(1, 1000)]
    public int? PerPayerConcurrency { get; set; }

    /// <summary>
    /// A payer's own limit on verifications in flight at once, by trading-partner ID
    /// (<c>Verification:PayerConcurrency:60054 = 10</c>); it takes the place of <see cref="PerPayerConcurrency"/> for that payer.
    /// </summary>
    public Dictionary<string, int> PayerConcurrency { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The limit for this payer: its own, else <see cref="PerPayerConcurrency"/>, else null (no limit of its own).</summary>
    public int? ConcurrencyFor(string payerId) =>
        PayerConcurrency.TryGetValue(payerId, out var limit) ? limit : PerPayerConcurrency;

    /// <summary>
    /// When the active census is re-verified: a time of day (UTC) such as <c>02:00</c>, or <c>off</c>.
    /// Default: nightly at 02:00 UTC.
    /// </summary>
    public string ReverifySchedule { get; set; } = "02:00";

    /// <summary>Whether the worker runs in this instance (an API-only instance can turn it off).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>The time of day of the re-verification, or null when it is off.</summary>
    public TimeOnly? ReverifyAt =>
        string.Equals(ReverifySchedule, "off", StringComparison.OrdinalIgnoreCase) ? null
        : TimeOnly.TryParse(ReverifySchedule, System.Globalization.CultureInfo.InvariantCulture, out var time) ? time
        : null;
}

[OptionsValidator]
internal sealed partial class VerificationOptionsValidator : IValidateOptions<VerificationOptions>;

internal sealed class VerificationOptionsCustomValidator : IValidateOptions<VerificationOptions>
{
    public ValidateOptionsResult Validate(string? name, VerificationOptions options)
    {
        var failures = new List<string>();
        if (options.ReverifyAt is null && !string.Equals(options.ReverifySchedule, "off", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add($"Verification:ReverifySchedule must be a time of day such as 02:00, or 'off'; '{options.ReverifySchedule}' is neither.");
        }

        foreach (var (payerId, limit) in options.PayerConcurrency)
        {
            if (limit is < 1 or > 1000)
            {
                failures.Add($"Verification:PayerConcurrency:{payerId} must be between 1 and 1000; it is {limit}.");
            }
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("Verification:RetryMaxDelay must not be shorter than Verification:RetryBaseDelay.");
        }

        if (options.LeaseDuration <= options.RealTimeBudget)
        {
            failures.Add("Verification:LeaseDuration must be longer than Verification:RealTimeBudget, or the worker could take over a request still being answered.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
