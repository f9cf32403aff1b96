using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

/// <summary>
/// Callers: API keys (<c>Auth:ApiKeys:N:Name|KeyHash|Roles:M</c>) and, optionally, JWT bearer tokens from an
/// OpenID Connect provider (<c>Auth:Jwt:Authority|Audience|RoleClaim</c>).
/// </summary>
internal sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public IList<ApiKeyEntry> ApiKeys { get; } = [];

    [ValidateObjectMembers]
    public JwtOptions Jwt { get; set; } = new();
}

internal sealed class ApiKeyEntry
{
    /// <summary>Who holds the key ("website", "admissions-desk"); becomes the caller's name and the audit actor.</summary>
    public string Name { get; set; } = "";

    /// <summary>Lowercase hex SHA-256 of the key (64 characters); the key itself is never stored.</summary>
    public string KeyHash { get; set; } = "";

    public IList<string> Roles { get; } = [];
}

internal sealed class JwtOptions
{
    /// <summary>The OpenID Connect issuer; JWT bearer is enabled only when this is set.</summary>
    public Uri? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>The claim that carries roles (Entra ID: "roles", Keycloak mapped: "roles", Auth0: a namespaced claim).</summary>
    [Required]
    public string RoleClaim { get; set; } = "roles";

    /// <summary>The claim used as the caller's name in the audit trail.</summary>
    [Required]
    public string NameClaim { get; set; } = "sub";

    public bool RequireHttpsMetadata { get; set; } = true;

    public bool IsConfigured => Authority is not null;
}

[OptionsValidator]
internal sealed partial class AuthOptionsValidator : IValidateOptions<AuthOptions>;

internal sealed class AuthOptionsCustomValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var label = string.IsNullOrWhiteSpace(key.Name) ? $"Auth:ApiKeys:{i}" : $"API key '{key.Name}'";
            if (string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add($"Auth:ApiKeys:{i}:Name must be set.");
            }

            if (!IsSha256Hex(key.KeyHash))
            {
                failures.Add($"{label}: KeyHash must be the lowercase hex SHA-256 of the key (64 characters 0-9a-f).");
            }
            else if (!hashes.Add(key.KeyHash))
            {
                failures.Add($"{label}: the same KeyHash is configured twice.");
            }

            if (key.Roles.Count == 0)
            {
                failures.Add($"{label}: give it at least one role ({string.Join(", ", Security.Roles.All)}).");
            }

            foreach (var role in key.Roles.Where(role => !Security.Roles.All.Contains(role)))
            {
                failures.Add($"{label}: unknown role '{role}' (known: {string.Join(", ", Security.Roles.All)}).");
            }
        }

        if (options.Jwt.IsConfigured)
        {
            if (string.IsNullOrWhiteSpace(options.Jwt.Audience))
            {
                failures.Add("Auth:Jwt:Audience must be set when Auth:Jwt:Authority is.");
            }

            if (options.Jwt.RequireHttpsMetadata && options.Jwt.Authority!.Scheme != Uri.UriSchemeHttps)
            {
                failures.Add("Auth:Jwt:Authority must be an https address (or set Auth:Jwt:RequireHttpsMetadata to false for local testing).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsSha256Hex(string? value) =>
        value is { Length: 64 } && value.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f'));
}
