using System.Net;
using System.Net.Http.Headers;
using Duende.IdentityModel.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// The one OAuth 2.0 client-credentials token of this process. Reused until its <c>expires_in</c> less a safety margin
/// (60 s, or half the lifetime when that is shorter), by the injected <see cref="TimeProvider"/>. Concurrent callers
/// with no usable token share one token request. Never logs a token or the secret, and puts neither in a message.
/// </summary>
internal sealed partial class ClearinghouseTokenCache(
    IHttpClientFactory httpClientFactory,
    IOptions<ClearinghouseOptions> options,
    TimeProvider timeProvider,
    ILogger<ClearinghouseTokenCache> logger)
{
    /// <summary>The token endpoint's own HttpClient: not the clearinghouse pipeline.</summary>
    public const string HttpClientName = "CoverageCheck.Clearinghouse.OAuthToken";

    internal static readonly TimeSpan SafetyMargin = TimeSpan.FromSeconds(60);

    /// <summary>Used when the answer carries no <c>expires_in</c> (RFC 6749 only recommends it); a 401 still forces a new token.</summary>
    internal static readonly TimeSpan LifetimeWhenUnsaid = TimeSpan.FromMinutes(5);

    private readonly Lock _lock = new();
    private CachedToken? _current;
    private Task<CachedToken>? _pending;

    /// <summary>
    /// A token to send. <c>Fresh</c> is true when it was just issued for this call (a 401 to it is then an answer, not a
    /// sign of a stale cache). Throws <see cref="ClearinghouseTokenException"/> when no token could be had.
    /// </summary>
    public async ValueTask<(string Token, bool Fresh)> GetAsync(CancellationToken cancellationToken)
    {
        Task<CachedToken> pending;
        lock (_lock)
        {
            if (_current is { } current && timeProvider.GetUtcNow() < current.RefreshAt)
            {
                return (current.Value, false);
            }

            pending = _pending ??= RefreshAsync();
        }

        // The request is not tied to this caller's token: one caller giving up must not fail it for the others.
        var token = await pending.WaitAsync(cancellationToken);
        return (token.Value, true);
    }

    /// <summary>Drops <paramref name="token"/> if it is still the cached one (a newer token is kept).</summary>
    public void Invalidate(string token)
    {
        lock (_lock)
        {
            if (_current is { } current && current.Value == token)
            {
                _current = null;
            }
        }
    }

    private async Task<CachedToken> RefreshAsync()
    {
        // Leave the caller's lock before doing anything that may finish synchronously and take it again.
        await Task.Yield();
        try
        {
            var token = await RequestAsync();
            lock (_lock)
            {
                _current = token;
                _pending = null;
            }

            return token;
        }
        catch
        {
            lock (_lock)
            {
                _pending = null;
            }

            throw;
        }
    }

    private async Task<CachedToken> RequestAsync()
    {
        var oauth = options.Value.OAuth;
        var requestedAt = timeProvider.GetUtcNow();
        using var http = httpClientFactory.CreateClient(HttpClientName);

        TokenResponse response;
        try
        {
            // Bounded by the token client's Timeout (Clearinghouse:OAuth:Timeout).
            response = await http.RequestClientCredentialsTokenAsync(new ClientCredentialsTokenRequest
            {
                Address = oauth.TokenUrl!.AbsoluteUri,
                ClientId = oauth.ClientId!,
                ClientSecret = oauth.ClientSecret,
                Scope = string.IsNullOrWhiteSpace(oauth.Scope) ? null : oauth.Scope,
                ClientCredentialStyle = oauth.ClientCredentialStyle == ClearinghouseClientCredentialStyle.PostBody
                    ? ClientCredentialStyle.PostBody
                    : ClientCredentialStyle.AuthorizationHeader,
            }, CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
        {
            throw Failed(ClassifyException(ex, oauth.Timeout), null, null);
        }

        using (response.HttpResponse)
        {
            if (response.IsError || string.IsNullOrEmpty(response.AccessToken))
            {
                throw Failed(Classify(response, timeProvider, oauth.Timeout), response.HttpStatusCode == 0 ? null : (int)response.HttpStatusCode, ErrorCode(response));
            }

            var lifetime = response.ExpiresIn > 0 ? TimeSpan.FromSeconds(response.ExpiresIn) : LifetimeWhenUnsaid;
            var margin = lifetime / 2 < SafetyMargin ? lifetime / 2 : SafetyMargin;
            LogObtained(logger, lifetime.TotalSeconds, (lifetime - margin).TotalSeconds);
            return new CachedToken(response.AccessToken, requestedAt + lifetime - margin);
        }
    }

    private ClearinghouseTokenException Failed(ClearinghouseTokenException failure, int? statusCode, string? error)
    {
        LogFailed(logger, failure.Reason, statusCode, error);
        return failure;
    }

    /// <summary>
    /// The token endpoint's refusal as a failure: refused credentials (400, 401, 403) need a person; 408, 429 and 5xx
    /// are transient; anything else is a wrong <c>TokenUrl</c>. Only the RFC 6749 error code is quoted, never
    /// <c>error_description</c>, which a server may fill with the client ID.
    /// </summary>
    internal static ClearinghouseTokenException Classify(TokenResponse response, TimeProvider timeProvider, TimeSpan timeout)
    {
        if (response.ErrorType == ResponseErrorType.Exception && response.Exception is { } exception)
        {
            return ClassifyException(exception, timeout);
        }

        var status = response.HttpStatusCode;
        var code = (int)status;
        var error = ErrorCode(response);
        var what = error is null ? $"{code}" : $"{code} {error}";

        if (status is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var check = error == "invalid_scope"
                ? "check Clearinghouse:OAuth:Scope"
                : "check Clearinghouse:OAuth:ClientId and Clearinghouse:OAuth:ClientSecret";
            return new ClearinghouseTokenException(ClearinghouseFailureReason.Unauthorized,
                $"The clearinghouse token endpoint refused the client credentials ({what}): {check}.", code);
        }

        if (ClearinghouseResilience.IsTransientStatus(status))
        {
            return new ClearinghouseTokenException(
                status == HttpStatusCode.TooManyRequests ? ClearinghouseFailureReason.Throttled : ClearinghouseFailureReason.ServerError,
                $"The clearinghouse token endpoint failed ({code}); no token, so the inquiry was not sent.", code,
                ClearinghouseResilience.RetryAfter(response.HttpResponse?.Headers.RetryAfter, timeProvider));
        }

        var message = (int)status is >= 200 and < 300
            ? "The clearinghouse token endpoint answered without an access_token: check Clearinghouse:OAuth:TokenUrl."
            : $"The clearinghouse token endpoint answered {what}, which is no token answer: check Clearinghouse:OAuth:TokenUrl.";
        return new ClearinghouseTokenException(ClearinghouseFailureReason.Rejected, message, code);
    }

    private static ClearinghouseTokenException ClassifyException(Exception exception, TimeSpan timeout) =>
        exception is OperationCanceledException or TimeoutException
            ? new ClearinghouseTokenException(ClearinghouseFailureReason.Timeout,
                $"The clearinghouse token endpoint did not answer within {timeout.TotalSeconds:0.###} s; no token, so the inquiry was not sent.", null, null, exception)
            : new ClearinghouseTokenException(ClearinghouseFailureReason.TransportError,
                "The clearinghouse token endpoint could not be reached; no token, so the inquiry was not sent.", null, null, exception);

    /// <summary>
    /// The RFC 6749 <c>error</c> code of a JSON error body, whatever the status (Duende's <c>Error</c> holds the reason
    /// phrase for statuses other than 400), when it looks like one: lower-case letters and underscores. Else null.
    /// </summary>
    internal static string? ErrorCode(TokenResponse response)
    {
        var error = response.Json is { ValueKind: System.Text.Json.JsonValueKind.Object } ? response.TryGet("error") : null;
        return error is { Length: > 0 and <= 40 } && error.All(c => c is (>= 'a' and <= 'z') or '_') ? error : null;
    }

    private sealed record CachedToken(string Value, DateTimeOffset RefreshAt)
    {
        public override string ToString() => $"CachedToken {{ RefreshAt = {RefreshAt:O} }}";
    }

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information,
        Message = "Clearinghouse OAuth token obtained: valid {LifetimeSeconds:0} s, reused for {ReuseSeconds:0} s")]
    private static partial void LogObtained(ILogger logger, double lifetimeSeconds, double reuseSeconds);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning,
        Message = "Clearinghouse OAuth token request failed: {Reason} (status {StatusCode}, error {Error})")]
    private static partial void LogFailed(ILogger logger, ClearinghouseFailureReason reason, int? statusCode, string? error);
}

/// <summary>
/// No token could be had. Carries the failure the client reports (<see cref="ClearinghouseClient"/> turns it into a
/// <see cref="ClearinghouseUnavailableException"/>); the message names settings, never their values.
/// </summary>
internal sealed class ClearinghouseTokenException : Exception
{
    public ClearinghouseTokenException(
        ClearinghouseFailureReason reason, string message, int? statusCode, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    public ClearinghouseTokenException() : this(ClearinghouseFailureReason.TransportError, "No clearinghouse token.", null)
    {
    }

    public ClearinghouseTokenException(string message) : this(ClearinghouseFailureReason.TransportError, message, null)
    {
    }

    public ClearinghouseTokenException(string message, Exception innerException)
        : this(ClearinghouseFailureReason.TransportError, message, null, null, innerException)
    {
    }

    public ClearinghouseFailureReason Reason { get; }

    /// <summary>The token endpoint's HTTP status, when it answered.</summary>
    public int? StatusCode { get; }

    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// Adds <c>Authorization: Bearer &lt;token&gt;</c> when <c>Clearinghouse:OAuth</c> is configured. Sits inside the
/// resilience handler, so each attempt takes the current token. A 401 to a cached token (revoked, or expired early at
/// the server) drops it, fetches a new one and resends once; a 401 to a fresh token is the answer.
/// </summary>
internal sealed partial class ClearinghouseBearerHandler(
    IOptionsMonitor<ClearinghouseOptions> options,
    ClearinghouseTokenCache tokens,
    ILogger<ClearinghouseBearerHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!options.CurrentValue.OAuth.IsConfigured)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var (token, fresh) = await tokens.GetAsync(cancellationToken);

        // Refit's JSON body re-serialises on each send today (the retries rely on it); buffering keeps the resend
        // below safe whatever content a later Refit setting produces. Inquiries are under a few KB.
        if (request.Content is { } content)
        {
            await content.LoadIntoBufferAsync(cancellationToken);
        }

        var response = await SendWithAsync(request, token, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized || fresh)
        {
            return response;
        }

        LogRefreshingAfter401(logger);
        response.Dispose();
        tokens.Invalidate(token);
        (token, _) = await tokens.GetAsync(cancellationToken);
        return await SendWithAsync(request, token, cancellationToken);
    }

    private Task<HttpResponseMessage> SendWithAsync(HttpRequestMessage request, string token, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return base.SendAsync(request, cancellationToken);
    }

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information,
        Message = "Clearinghouse answered 401 to a cached OAuth token: getting a new token and resending once")]
    private static partial void LogRefreshingAfter401(ILogger logger);
}
