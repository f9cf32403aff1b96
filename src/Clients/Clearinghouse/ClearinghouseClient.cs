using System.Net;
using CoverageCheck.Clients.Eligibility;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;
using Refit;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// The boundary between the HTTP pipeline and the domain: Refit's and Polly's exceptions stop here and become a
/// <see cref="ClearinghouseAnswer"/> (the v3 JSON read by <see cref="CoverageNormalizer"/>) or a
/// <see cref="ClearinghouseUnavailableException"/>. Logs payer IDs, control numbers, statuses and timings only: never a
/// body, a name, a date of birth or a member ID.
/// </summary>
internal sealed partial class ClearinghouseClient(
    IClearinghouseApi api,
    IOptionsMonitor<ClearinghouseOptions> options,
    TimeProvider timeProvider,
    ILogger<ClearinghouseClient> logger) : IClearinghouseClient
{
    public async Task<ClearinghouseAnswer> CheckEligibilityAsync(EligibilityInquiry inquiry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(inquiry);
        if (inquiry.ControlNumber.Length != 9 || !inquiry.ControlNumber.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("The control number must be exactly 9 digits.", nameof(inquiry));
        }

        if (string.IsNullOrWhiteSpace(inquiry.PayerId))
        {
            throw new ArgumentException("The payer ID is required.", nameof(inquiry));
        }

        var request = EligibilityRequestV3.From(inquiry, options.CurrentValue.Provider.ToInquiringProvider());
        var call = new ClearinghouseCall(inquiry.PayerId, inquiry.ControlNumber);
        var started = timeProvider.GetTimestamp();

        IApiResponse<string> response;
        try
        {
            response = await api.CheckEligibilityAsync(request, call, cancellationToken);
        }
        catch (ApiException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // IApiResponse<T> normally carries a status instead of throwing; should a Refit setting make it throw, the
            // answer is judged the same way.
            var success = (int)ex.StatusCode is >= 200 and < 300;
            return Judge(inquiry, call, started, ex.StatusCode, success ? ex.Content : null, success ? null : ex.Content, ex.Headers?.RetryAfter);
        }
        catch (ApiRequestException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(inquiry, call, ex.InnerException ?? ex);
        }
        catch (ClearinghouseTokenException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // No OAuth token, so nothing was sent: refused credentials need a person, an outage is transient.
            throw Fail(inquiry, call, ex);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsPipelineFault(ex))
        {
            throw Fail(inquiry, call, ex);
        }

        using (response)
        {
            if (response.StatusCode is not { } status)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw Fail(inquiry, call, response.Error?.InnerException ?? (Exception?)response.Error ?? new HttpRequestException("No response."));
            }

            return Judge(inquiry, call, started, status,
                response.IsSuccessStatusCode ? response.Content : null,
                response.IsSuccessStatusCode ? null : (response.Error as ApiException)?.Content,
                response.Headers?.RetryAfter);
        }
    }

    /// <summary>An answer the normaliser can read (200 with a body, 400 with AAA errors), normalised; or the typed failure.</summary>
    private ClearinghouseAnswer Judge(
        EligibilityInquiry inquiry,
        ClearinghouseCall call,
        long started,
        HttpStatusCode status,
        string? successBody,
        string? errorBody,
        System.Net.Http.Headers.RetryConditionHeaderValue? retryAfterHeader)
    {
        var elapsed = timeProvider.GetElapsedTime(started);
        var success = (int)status is >= 200 and < 300;

        if (success && !string.IsNullOrEmpty(successBody))
        {
            LogAnswered(logger, inquiry.PayerId, inquiry.ControlNumber, (int)status, call.Attempts, elapsed.TotalMilliseconds);
            return new ClearinghouseAnswer((int)status, CoverageNormalizer.FromClearinghouseJson(successBody), successBody, elapsed, call.Attempts);
        }

        if (status == HttpStatusCode.BadRequest && errorBody is not null && CarriesAaaErrors(errorBody))
        {
            LogAnswered(logger, inquiry.PayerId, inquiry.ControlNumber, (int)status, call.Attempts, elapsed.TotalMilliseconds);
            return new ClearinghouseAnswer((int)status, CoverageNormalizer.FromClearinghouseJson(errorBody), errorBody, elapsed, call.Attempts);
        }

        var (reason, message) = status switch
        {
            _ when success => (ClearinghouseFailureReason.ServerError, "The clearinghouse answered success with an empty body."),
            HttpStatusCode.TooManyRequests => (ClearinghouseFailureReason.Throttled, "The clearinghouse kept throttling requests (429)."),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => (ClearinghouseFailureReason.Unauthorized, options.CurrentValue.OAuth.IsConfigured
                ? $"The clearinghouse refused the OAuth token ({(int)status}): check Clearinghouse:OAuth:ClientId, Clearinghouse:OAuth:Scope and the payer enrolment."
                : $"The clearinghouse refused the credentials ({(int)status}): check Clearinghouse:ApiKey and the payer enrolment."),
            _ when ClearinghouseResilience.IsTransientStatus(status) => (ClearinghouseFailureReason.ServerError, $"The clearinghouse kept failing ({(int)status})."),
            HttpStatusCode.BadRequest => (ClearinghouseFailureReason.Rejected, "The clearinghouse rejected the request (400) without AAA errors: the request is malformed."),
            _ when (int)status is >= 300 and < 400 => (ClearinghouseFailureReason.Rejected,
                $"The clearinghouse answered {(int)status}, a redirect, which is never followed: the request carries a patient's details. Check Clearinghouse:BaseUrl."),
            _ => (ClearinghouseFailureReason.Rejected, $"The clearinghouse answered {(int)status}, which carries no eligibility answer: check Clearinghouse:BaseUrl."),
        };

        var retryAfter = ClearinghouseResilience.RetryAfter(retryAfterHeader, timeProvider);
        LogUnavailable(logger, inquiry.PayerId, inquiry.ControlNumber, reason, (int)status, call.Attempts);
        throw new ClearinghouseUnavailableException(reason, inquiry.PayerId, $"{message} Payer {inquiry.PayerId}, {call.Attempts} attempt(s).", (int)status, call.Attempts, retryAfter);
    }

    private static bool IsPipelineFault(Exception ex) =>
        ex is BrokenCircuitException or RateLimiterRejectedException or TimeoutRejectedException or HttpRequestException or OperationCanceledException
            or ClearinghouseTokenException or ClearinghouseAnswerTooLargeException;

    private ClearinghouseUnavailableException Fail(EligibilityInquiry inquiry, ClearinghouseCall call, Exception cause)
    {
        var (reason, message, retryAfter) = cause switch
        {
            ClearinghouseAnswerTooLargeException large => (ClearinghouseFailureReason.AnswerTooLarge, large.Message, (TimeSpan?)null),
            // The token endpoint's failure, already classed: Unauthorized or Rejected (not transient), else transient.
            ClearinghouseTokenException token => (token.Reason, token.Message, token.RetryAfter),
            BrokenCircuitException broken => (ClearinghouseFailureReason.CircuitOpen, "The circuit breaker for this payer is open after repeated failures; the inquiry was not sent.", broken.RetryAfter),
            RateLimiterRejectedException rejected => (ClearinghouseFailureReason.ConcurrencyLimit, "Too many inquiries are waiting for the clearinghouse; the inquiry was not sent.", rejected.RetryAfter),
            TimeoutRejectedException timeout => (ClearinghouseFailureReason.Timeout, $"The clearinghouse did not answer within {timeout.Timeout.TotalSeconds:0.###} s.", (TimeSpan?)null),
            OperationCanceledException => (ClearinghouseFailureReason.Timeout, "The clearinghouse call was cancelled before an answer.", (TimeSpan?)null),
            _ => (ClearinghouseFailureReason.TransportError, "The clearinghouse could not be reached.", (TimeSpan?)null),
        };

        LogUnavailable(logger, inquiry.PayerId, inquiry.ControlNumber, reason, null, call.Attempts);
        var status = (cause as ClearinghouseAnswerTooLargeException)?.StatusCode;
        return new ClearinghouseUnavailableException(reason, inquiry.PayerId, $"{message} Payer {inquiry.PayerId}, {call.Attempts} attempt(s).", status, call.Attempts, retryAfter, cause);
    }

    /// <summary>A 400 the normaliser can read: a clearinghouse answer with AAA errors (top level or a loop's).</summary>
    internal static bool CarriesAaaErrors(string body) => AaaErrorsIn(body).Any();

    /// <summary>
    /// True when an answer (200, or 400 with AAA errors) carries AAA 42 "Unable to Respond at Current Time" or 80 "No
    /// Response received - Transaction Terminated": the payer's ill health, not this member's data.
    /// </summary>
    internal static bool CarriesPayerUnavailable(string body) =>
        // Most answers name neither code anywhere: skip reading them.
        (body.Contains("\"42\"", StringComparison.Ordinal) || body.Contains("\"80\"", StringComparison.Ordinal))
        && AaaErrorsIn(body).Any(error => error.Code?.Trim() is "42" or "80");

    /// <summary>
    /// The AAA errors of an answer, read with the clearinghouse response's own typed reader: the top-level list and
    /// the payer's, provider's and subscriber's. None when the body is not such an answer.
    /// </summary>
    private static IEnumerable<ClearinghouseAaaError> AaaErrorsIn(string body) =>
        ClearinghouseJson.TryDeserialize(body, out _) is { } answer
            ? (answer.Errors ?? []).Concat(answer.Payer?.AaaErrors ?? []).Concat(answer.Provider?.AaaErrors ?? []).Concat(answer.Subscriber?.AaaErrors ?? [])
            : [];

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Clearinghouse answered {StatusCode} for payer {PayerId}, control number {ControlNumber}, after {Attempts} attempt(s) in {ElapsedMs:0} ms")]
    private static partial void LogAnswered(ILogger logger, string payerId, string controlNumber, int statusCode, int attempts, double elapsedMs);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning,
        Message = "Clearinghouse unavailable for payer {PayerId}, control number {ControlNumber}: {Reason} (status {StatusCode}) after {Attempts} attempt(s)")]
    private static partial void LogUnavailable(ILogger logger, string payerId, string controlNumber, ClearinghouseFailureReason reason, int? statusCode, int attempts);
}
