using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

/// <summary>
/// Authenticates <c>X-Api-Key</c>: the presented key's SHA-256 is compared in constant time with every configured
/// hash. No header: no result (anonymous). A header that matches nothing: failure, answered 401.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            return Task.FromResult(AuthenticateResult.Fail("Send exactly one X-Api-Key header."));
        }

        var entry = registry.Find(values[0]!);
        if (entry is null)
        {
            // Never log the presented key.
            Logger.LogInformation("An API key was presented that matches no configured key.");
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity(SchemeName, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, entry.Name));
        foreach (var role in entry.Roles)
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        return base.HandleChallengeAsync(properties);
    }
}

/// <summary>
/// The configured API keys (configuration plus <c>apikeys.json</c> in the data folder), looked up by hash. Read from
/// <see cref="IOptionsMonitor{TOptions}.CurrentValue"/> on every lookup, so a changed <c>apikeys.json</c> counts
/// from the next request.
/// </summary>
internal sealed partial class ApiKeyRegistry(IOptionsMonitor<AuthOptions> options, ILogger<ApiKeyRegistry> logger, LocalApiKeys? localKeys = null)
{
    private AuthOptions? _lastValid;
    private OptionsValidationException? _lastRejected;

    /// <summary>Lowercase hex SHA-256 of a key, as configured in <c>Auth:ApiKeys:N:KeyHash</c>.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The entry whose hash matches, or null; <c>apikeys.json</c> is read again first if it changed since last read.</summary>
    public ApiKeyEntry? Find(string presentedKey)
    {
        localKeys?.ReloadIfChanged();
        return FindConfigured(presentedKey);
    }

    private ApiKeyEntry? FindConfigured(string presentedKey)
    {
        Span<byte> presented = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey), presented);
        Span<byte> configured = stackalloc byte[32];
        ApiKeyEntry? match = null;

        // Compare with every entry, in constant time, so timing reveals neither which key nor how much matched.
        foreach (var entry in Current().ApiKeys)
        {
            if (Convert.FromHexString(entry.KeyHash, configured, out _, out var written) == System.Buffers.OperationStatus.Done
                && written == 32
                && CryptographicOperations.FixedTimeEquals(presented, configured))
            {
                match = entry;
            }
        }

        return match;
    }

    /// <summary>
    /// The current keys. The start-up check refuses bad ones; if a later change makes them invalid (a hand-edited
    /// <c>apikeys.json</c>), the last valid set stays in force, with one warning per change, rather than every request failing.
    /// </summary>
    private AuthOptions Current()
    {
        try
        {
            return _lastValid = options.CurrentValue;
        }
        catch (OptionsValidationException ex) when (_lastValid is { } lastValid)
        {
            // The options cache keeps the failure until the next change, so each change is reported once.
            if (!ReferenceEquals(Interlocked.Exchange(ref _lastRejected, ex), ex))
            {
                LogRejectedChange(logger, string.Join(" ", ex.Failures));
            }

            return lastValid;
        }
    }

    [LoggerMessage(LogLevel.Warning, "The API keys changed but are not valid, so the previous keys stay in force until this is fixed: {Failures}")]
    private static partial void LogRejectedChange(ILogger logger, string failures);
}
