using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>What the token endpoint saw of one request: how the client authenticated, and the form fields.</summary>
internal sealed record TokenRequest(string ContentType, string? BasicClientId, string? BasicClientSecret, IReadOnlyDictionary<string, string> Form);

/// <summary>
/// An OAuth 2.0 token endpoint (RFC 6749 client credentials) served by <see cref="ScriptedClearinghouse"/>: a
/// form-encoded request, client authentication by HTTP Basic (id and secret form-url-encoded, section 2.3.1) or by
/// <c>client_id</c>/<c>client_secret</c> form fields, a JSON token answer, and RFC 6749 section 5.2 error JSON. Scripted
/// replies go first; a refusal echoes the client ID in <c>error_description</c>, as some servers do.
/// </summary>
internal sealed class ScriptedTokenEndpoint
{
    public const string Path = "/oauth2/token";

    private readonly ConcurrentQueue<ScriptedReply> _script = new();
    private readonly ConcurrentQueue<TokenRequest> _requests = new();
    private readonly ConcurrentQueue<string> _issued = new();
    private readonly ConcurrentDictionary<string, bool> _live = new();
    private int _count;

    public string ClientId { get; set; } = "cc-client-7f3a91";

    /// <summary>Has characters that form-url-encoding must escape.</summary>
    public string ClientSecret { get; set; } = "s3cr3t+Zq9/x=&y%z";

    public int ExpiresIn { get; set; } = 3600;

    /// <summary>Wait before answering (lets concurrent callers pile up on one request).</summary>
    public TimeSpan Delay { get; set; }

    public IReadOnlyList<TokenRequest> Requests => [.. _requests];

    /// <summary>Tokens issued, oldest first.</summary>
    public IReadOnlyList<string> Issued => [.. _issued];

    public void Script(params ScriptedReply[] replies)
    {
        foreach (var reply in replies)
        {
            _script.Enqueue(reply);
        }
    }

    /// <summary>Every token issued so far stops working, as when the server expires or revokes them early.</summary>
    public void RevokeAll() => _live.Clear();

    public bool Accepts(string? authorization) =>
        authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal) && _live.ContainsKey(authorization["Bearer ".Length..]);

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            var form = context.Request.HasFormContentType
                ? (await context.Request.ReadFormAsync(context.RequestAborted)).ToDictionary(f => f.Key, f => f.Value.ToString())
                : [];
            var (basicId, basicSecret) = ReadBasic(context.Request.Headers.Authorization.FirstOrDefault());
            _requests.Enqueue(new TokenRequest(context.Request.ContentType ?? "", basicId, basicSecret, form));

            var wait = _script.TryDequeue(out var scripted) ? scripted.Delay : Delay;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, context.RequestAborted);
            }

            if (scripted is not null)
            {
                await Write(context, scripted.Status, scripted.Body ?? Error("temporarily_unavailable", "Scripted."), scripted.RetryAfter);
                return;
            }

            if (!context.Request.HasFormContentType || form.GetValueOrDefault("grant_type") != "client_credentials")
            {
                await Write(context, 400, Error("unsupported_grant_type", "Only client_credentials is supported."));
                return;
            }

            var bodyId = form.GetValueOrDefault("client_id");
            var bodySecret = form.GetValueOrDefault("client_secret");
            if (basicId is not null && bodySecret is not null)
            {
                await Write(context, 400, Error("invalid_request", "Use one client authentication method."));
                return;
            }

            var (id, secret) = basicId is not null ? (basicId, basicSecret) : (bodyId, bodySecret);
            if (id != ClientId || secret != ClientSecret)
            {
                // RFC 6749 5.2: 401 with WWW-Authenticate when the client tried the Authorization header, else 400.
                if (basicId is not null)
                {
                    context.Response.Headers.WWWAuthenticate = "Basic realm=\"token\"";
                }

                await Write(context, basicId is not null ? 401 : 400, Error("invalid_client", $"Client authentication failed for client '{id}'."));
                return;
            }

            var token = $"at-{Interlocked.Increment(ref _count)}-{Guid.NewGuid():N}";
            _issued.Enqueue(token);
            _live[token] = true;
            var answer = new Dictionary<string, object?>
            {
                ["access_token"] = token,
                ["token_type"] = "Bearer",
                ["expires_in"] = ExpiresIn,
            };
            if (form.TryGetValue("scope", out var scope))
            {
                answer["scope"] = scope;
            }

            await Write(context, 200, JsonSerializer.Serialize(answer));
        }
        catch (OperationCanceledException)
        {
            // The client gave up (its token timeout).
        }
    }

    private static string Error(string error, string description) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description });

    private static async Task Write(HttpContext context, int status, string body, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    private static (string? Id, string? Secret) ReadBasic(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..]));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (WebUtility.UrlDecode(pair), null) : (WebUtility.UrlDecode(pair[..colon]), WebUtility.UrlDecode(pair[(colon + 1)..]));
    }
}
