using System.Net;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// The clearinghouse client's one resilience pipeline, built once per payer (the circuit breaker is per payer), with
/// the concurrency limiter shared by all payers. Outermost first:
/// total timeout → retry → circuit breaker (this payer) → concurrency limit (all payers) → attempt timeout.
/// </summary>
internal static class ClearinghouseResilience
{
    public const string PipelineName = "clearinghouse";

    /// <summary>The breaker key: one pipeline, hence one breaker, per <c>tradingPartnerServiceId</c>.</summary>
    public static string PayerKey(HttpRequestMessage request) => ClearinghouseCall.Of(request)?.PayerId ?? "(unknown payer)";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var services = context.ServiceProvider;
        var options = services.GetRequiredService<IOptions<ClearinghouseOptions>>().Value;
        var limiter = services.GetRequiredService<ClearinghouseConcurrencyLimiter>();
        var timeProvider = services.GetRequiredService<TimeProvider>();
        var slow = new SlowInquiries(options.CircuitBreaker.SlowInquiriesToCount, options.CircuitBreaker.SamplingDuration, timeProvider);

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalTimeout });

        // Clearinghouse:MaxRetryAttempts may be 0 (no retries); Polly's retry strategy refuses 0, so there is none then.
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "retry",
                // The inquiry is a POST, but it reads coverage and changes nothing at the payer: repeating it is safe
                // (Optum: "a timed-out eligibility inquiry is safe to retry"). So unsafe-method retries stay enabled here,
                // and only here; a 400 (AAA data errors) is never retried, and AAA 42/80 bodies go to the worker's queue.
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldRetryAfterHeader = false, // handled by DelayGenerator below, capped by MaxRetryAfter
                ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome, options.MaxRetryAfter, timeProvider)),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter(response.Headers.RetryAfter, timeProvider) : null),
            });
        }

        builder
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                Name = "payer-circuit-breaker",
                FailureRatio = options.CircuitBreaker.FailureRatio,
                MinimumThroughput = options.CircuitBreaker.MinimumThroughput,
                SamplingDuration = options.CircuitBreaker.SamplingDuration,
                BreakDuration = options.CircuitBreaker.BreakDuration,
                ShouldHandle = args => IsPayerUnhealthyAsync(args.Outcome, ClearinghouseCall.Of(args.Context.GetRequestMessage()!)?.ControlNumber, slow),
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                Name = "concurrency-limit",
                RateLimiter = args => limiter.AcquireAsync(args.Context.CancellationToken),
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
    }

    /// <summary>Transport faults: 408, 429, 500, 502, 503, 504, connection failures and attempt timeouts. Never a 400.</summary>
    internal static bool IsRetryable(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, TimeProvider timeProvider)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        if (outcome.Result is not { } response || !IsTransientStatus(response.StatusCode))
        {
            return false;
        }

        // A longer wait than we hold a caller for goes back to the caller's queue, with the hint.
        return RetryAfter(response.Headers.RetryAfter, timeProvider) is not { } wait || wait <= maxRetryAfter;
    }

    /// <summary>
    /// What counts against a payer's breaker (this pipeline is that payer's): failures that say the payer is unhealthy.
    /// The clearinghouse's own word (5xx and 408, among them its 504 when the payer did not answer it in time), a
    /// connection failure, an answer with AAA 42 or 80, and our attempt timeouts once several distinct inquiries ran
    /// out of time (<see cref="SlowInquiries"/>). Not one member's stalled inquiry, however often it is retried: the
    /// clearinghouse gives up on a payer before our attempt timeout does, so a timeout of ours is first of all that one
    /// request. Not 429 either: that is the clearinghouse throttling our account, and one payer's breaker would not
    /// relieve it.
    /// </summary>
    internal static async ValueTask<bool> IsPayerUnhealthyAsync(Outcome<HttpResponseMessage> outcome, string? inquiry, SlowInquiries slow)
    {
        if (outcome.Exception is TimeoutRejectedException)
        {
            return slow.Record(inquiry);
        }

        if (IsPayerFault(outcome))
        {
            return true;
        }

        if (outcome.Result is { StatusCode: HttpStatusCode.OK or HttpStatusCode.BadRequest } response)
        {
            // Already read into memory by ClearinghouseAttemptHandler (and capped): reading it again costs no I/O.
            var body = await response.Content.ReadAsStringAsync();
            return ClearinghouseClient.CarriesPayerUnavailable(body);
        }

        return false;
    }

    /// <summary>
    /// The payer's outages as the status or the connection tells them: 5xx, 408, connection failures. Never 429, and
    /// never our own attempt timeout on its own (see <see cref="IsPayerUnhealthyAsync"/>).
    /// </summary>
    internal static bool IsPayerFault(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is HttpRequestException
        || (outcome.Result is { } response && response.StatusCode != HttpStatusCode.TooManyRequests && IsTransientStatus(response.StatusCode));

    internal static bool IsTransientStatus(HttpStatusCode status) => status is
        HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    /// <summary>The wait a <c>Retry-After</c> asks for (seconds or an HTTP date), or null when absent.</summary>
    internal static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, TimeProvider timeProvider)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}

/// <summary>
/// One payer's recent attempt timeouts, by inquiry (control number), over the breaker's sampling window: one member's
/// stalled inquiry retried is one entry; several distinct ones at once say the payer itself is slow.
/// </summary>
internal sealed class SlowInquiries(int threshold, TimeSpan window, TimeProvider timeProvider)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _lastTimeout = new(StringComparer.Ordinal);

    /// <summary>Notes a timed-out attempt; true when enough distinct inquiries timed out within the window to count it.</summary>
    public bool Record(string? inquiry)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            foreach (var stale in _lastTimeout.Where(entry => now - entry.Value > window).Select(entry => entry.Key).ToList())
            {
                _lastTimeout.Remove(stale);
            }

            _lastTimeout[inquiry ?? "(no control number)"] = now;
            return _lastTimeout.Count >= threshold;
        }
    }
}

/// <summary>The one concurrency limiter every payer's pipeline shares: at most <c>MaxConcurrency</c> attempts in flight.</summary>
internal sealed class ClearinghouseConcurrencyLimiter(IOptions<ClearinghouseOptions> options) : IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxConcurrency,
        QueueLimit = options.Value.QueueLimit,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public ValueTask<RateLimitLease> AcquireAsync(CancellationToken cancellationToken) => _limiter.AcquireAsync(1, cancellationToken);

    public void Dispose() => _limiter.Dispose();
}
