using Microsoft.Extensions.Options;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>The rules that span fields, or need more than an attribute: one sentence per problem.</summary>
internal sealed class ClearinghouseOptionsCustomValidator(ClearinghouseAddress address) : IValidateOptions<ClearinghouseOptions>
{
    public ValidateOptionsResult Validate(string? name, ClearinghouseOptions options)
    {
        var failures = new List<string>();

        if (options.BaseUrl is null)
        {
            if (!address.HasFallback)
            {
                failures.Add("Clearinghouse:BaseUrl is empty and this host runs no sandbox clearinghouse: set it to the clearinghouse's base address.");
            }
        }
        else if (!options.BaseUrl.IsAbsoluteUri || (options.BaseUrl.Scheme != Uri.UriSchemeHttps && options.BaseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Clearinghouse:BaseUrl must be an absolute http(s) address.");
        }
        else if (options.BaseUrl.Scheme == Uri.UriSchemeHttp && !options.BaseUrl.IsLoopback)
        {
            failures.Add("Clearinghouse:BaseUrl must use https: inquiries carry protected health information (plain http is allowed on loopback only).");
        }

        if (options.ApiKey is { } key && key.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            failures.Add("Clearinghouse:ApiKey must be a single line.");
        }

        ValidateOAuth(options, failures);

        if (options.Provider.Npi.Length == 10 && options.Provider.Npi.All(char.IsAsciiDigit) && !Npi.HasValidCheckDigit(options.Provider.Npi))
        {
            failures.Add("Clearinghouse:Provider:Npi fails the NPI check digit (Luhn over 80840 + the first nine digits).");
        }

        if (options.AttemptTimeout >= options.TotalTimeout)
        {
            failures.Add("Clearinghouse:AttemptTimeout must be shorter than Clearinghouse:TotalTimeout, or no attempt could ever be retried.");
        }

        if (options.MaxRetryAfter >= options.TotalTimeout)
        {
            failures.Add("Clearinghouse:MaxRetryAfter must be shorter than Clearinghouse:TotalTimeout.");
        }

        if (options.CircuitBreaker.SamplingDuration < 2 * options.AttemptTimeout)
        {
            failures.Add("Clearinghouse:CircuitBreaker:SamplingDuration must be at least twice Clearinghouse:AttemptTimeout, so timed-out attempts are still counted when they end.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateOAuth(ClearinghouseOptions options, List<string> failures)
    {
        var oauth = options.OAuth;
        if (!oauth.IsAnySet)
        {
            return;
        }

        // A TokenUrl that is there but not absolute gets its own sentence below, not "missing" as well.
        string[] missing =
        [
            .. oauth.TokenUrl is null ? ["TokenUrl"] : Array.Empty<string>(),
            .. string.IsNullOrWhiteSpace(oauth.ClientId) ? ["ClientId"] : Array.Empty<string>(),
            .. string.IsNullOrWhiteSpace(oauth.ClientSecret) ? ["ClientSecret"] : Array.Empty<string>(),
        ];
        if (missing.Length > 0)
        {
            failures.Add($"Clearinghouse:OAuth needs TokenUrl, ClientId and ClientSecret together, or none of them: {string.Join(", ", missing)} missing.");
        }

        if (oauth.TokenUrl is { } url)
        {
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add("Clearinghouse:OAuth:TokenUrl must be an absolute http(s) address.");
            }
            else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
            {
                failures.Add("Clearinghouse:OAuth:TokenUrl must use https: the client secret travels in the request (plain http is allowed on loopback only).");
            }
        }

        if (!string.IsNullOrEmpty(options.ApiKey))
        {
            failures.Add("Clearinghouse:ApiKey and Clearinghouse:OAuth are mutually exclusive: set one of them.");
        }

        foreach (var (key, value) in (ReadOnlySpan<(string, string?)>)[("ClientId", oauth.ClientId), ("ClientSecret", oauth.ClientSecret), ("Scope", oauth.Scope)])
        {
            if (value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                failures.Add($"Clearinghouse:OAuth:{key} must be a single line.");
            }
        }
    }
}

/// <summary>National Provider Identifier check digit (CMS: Luhn over the prefix 80840 and the first nine digits).</summary>
public static class Npi
{
    public static bool HasValidCheckDigit(string npi)
    {
        if (npi.Length != 10 || !npi.All(char.IsAsciiDigit))
        {
            return false;
        }

        // The constant 24 is the Luhn contribution of the card-issuer prefix 80840.
        var sum = 24;
        for (var i = 0; i < 9; i++)
        {
            var digit = npi[8 - i] - '0';
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        var check = (10 - (sum % 10)) % 10;
        return check == npi[9] - '0';
    }
}
