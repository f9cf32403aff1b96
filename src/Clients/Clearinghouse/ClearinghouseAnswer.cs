using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// What the clearinghouse answered, already normalised: <see cref="Reading"/> holds the coverage, the AAA errors and
/// the warnings, read by the client from the clearinghouse's own wire format (HTTP 200, or a 400 whose body carries AAA
/// rejections). <see cref="RawAnswer"/> is that answer as received, protected health information: store it encrypted for
/// audit, never log it, never parse it outside <c>src/Clients</c>.
/// </summary>
/// <param name="StatusCode">The HTTP status of the final attempt (200 or 400).</param>
/// <param name="Reading">The normalised answer; <see cref="EligibilityReading.IsReadable"/> is false when the body could not be read.</param>
/// <param name="RawAnswer">The answer exactly as received, in the clearinghouse's own format (for the v3 API, its JSON).</param>
/// <param name="Elapsed">From the call to the answer, queueing, retries and back-off included (the reading after it is not).</param>
/// <param name="Attempts">Attempts sent to the clearinghouse (1 when the first one answered).</param>
public sealed record ClearinghouseAnswer(int StatusCode, EligibilityReading Reading, string RawAnswer, TimeSpan Elapsed, int Attempts)
{
    /// <summary>Never prints the raw answer or the coverage: only counts, status and timings.</summary>
    public override string ToString() =>
        $"ClearinghouseAnswer {{ StatusCode = {StatusCode}, Readable = {Reading.IsReadable}, Coverage = {Reading.Coverage is not null}, " +
        $"Errors = {Reading.Errors.Count}, Warnings = {Reading.Warnings.Count}, Length = {RawAnswer.Length}, Elapsed = {Elapsed}, Attempts = {Attempts} }}";
}

/// <summary>Why no readable answer came back.</summary>
public enum ClearinghouseFailureReason
{
    /// <summary>The clearinghouse kept answering 408/500/502/503/504 until the retries ran out.</summary>
    ServerError,

    /// <summary>The clearinghouse kept answering 429, or asked for a longer wait than the client waits inline.</summary>
    Throttled,

    /// <summary>No connection, or the connection failed before an answer (DNS, refused, reset).</summary>
    TransportError,

    /// <summary>An attempt, or the whole inquiry, ran past its timeout.</summary>
    Timeout,

    /// <summary>This payer's circuit breaker is open after repeated failures: the call was not sent.</summary>
    CircuitOpen,

    /// <summary>Too many inquiries were already waiting for a concurrency permit: the call was not sent.</summary>
    ConcurrencyLimit,

    /// <summary>401 or 403: the API key is missing, wrong or not enrolled for this payer. Operations must act.</summary>
    Unauthorized,

    /// <summary>Any other answer with no AAA body to read (a 400 without AAA errors, 404, 501, a redirect, a non-JSON body): a fault in the request or configuration.</summary>
    Rejected,

    /// <summary>The answer was larger than <c>Clearinghouse:MaxAnswerBytes</c>: it was neither read nor stored, and asking again would bring the same.</summary>
    AnswerTooLarge,
}

/// <summary>
/// The clearinghouse gave no answer the normaliser can read. <see cref="IsTransient"/> says whether asking again
/// later may succeed (the worker's queue retries those); the others need a person. Carries no protected health
/// information: the message never includes the request or the response body.
/// </summary>
public sealed class ClearinghouseUnavailableException : Exception
{
    public ClearinghouseUnavailableException(
        ClearinghouseFailureReason reason,
        string payerId,
        string message,
        int? statusCode = null,
        int attempts = 0,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        PayerId = payerId;
        StatusCode = statusCode;
        Attempts = attempts;
        RetryAfter = retryAfter;
    }

    public ClearinghouseUnavailableException() : this(ClearinghouseFailureReason.TransportError, "", "The clearinghouse is unavailable.")
    {
    }

    public ClearinghouseUnavailableException(string message) : this(ClearinghouseFailureReason.TransportError, "", message)
    {
    }

    public ClearinghouseUnavailableException(string message, Exception innerException)
        : this(ClearinghouseFailureReason.TransportError, "", message, innerException: innerException)
    {
    }

    /// <summary>What went wrong.</summary>
    public ClearinghouseFailureReason Reason { get; }

    /// <summary>The payer asked about (not PHI).</summary>
    public string PayerId { get; }

    /// <summary>The HTTP status of the last answer, when there was one.</summary>
    public int? StatusCode { get; }

    /// <summary>Attempts that reached the wire (0 when the breaker or the concurrency limit refused the call).</summary>
    public int Attempts { get; }

    /// <summary>How long the clearinghouse asked to wait (<c>Retry-After</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when asking again later may succeed: everything except <see cref="ClearinghouseFailureReason.Unauthorized"/>, <see cref="ClearinghouseFailureReason.Rejected"/> and <see cref="ClearinghouseFailureReason.AnswerTooLarge"/>.</summary>
    public bool IsTransient => Reason is not (ClearinghouseFailureReason.Unauthorized or ClearinghouseFailureReason.Rejected or ClearinghouseFailureReason.AnswerTooLarge);
}
