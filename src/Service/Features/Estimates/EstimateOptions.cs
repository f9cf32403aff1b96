using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>
/// What the program charges for an IOP day (<c>RateCard:Iop:*</c>), used where an estimate request leaves
/// <c>pricing</c> (or part of it) out. Two ways of pricing can be configured: per-day rates
/// (<see cref="ChargePerDay"/>, <see cref="AllowedPerDay"/>, <see cref="SelfPayPerDay"/>) and a self-pay
/// package price (<see cref="SelfPayPackagePrice"/>) that caps the total of all self-pay days.
/// </summary>
internal sealed class RateCardOptions
{
    public const string SectionName = "RateCard:Iop";

    /// <summary>The billed charge per session day. Unset: the charge is unknown and estimates show the published range.</summary>
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? ChargePerDay { get; set; }

    /// <summary>The lowest published charge per day (the website says $250).</summary>
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? ChargeRangeLow { get; set; }

    /// <summary>The highest published charge per day (the website says $650).</summary>
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? ChargeRangeHigh { get; set; }

    /// <summary>The allowed amount per day to assume when a request gives none; unset: the charge.</summary>
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? AllowedPerDay { get; set; }

    /// <summary>The cash rate per day for days no plan pays; unset: the charge.</summary>
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? SelfPayPerDay { get; set; }

    /// <summary>A package price for a whole self-pay program: self-pay days stop costing anything once it is reached.</summary>
    [Range(typeof(decimal), "0", "10000000", ParseLimitsInInvariantCulture = true)]
    public decimal? SelfPayPackagePrice { get; set; }
}

/// <summary>The public website's use of the estimate endpoint (<c>Website:*</c>).</summary>
internal sealed class WebsiteOptions
{
    public const string SectionName = "Website";

    /// <summary>Origins allowed to call <c>POST /api/v1/estimates</c> from a browser, such as <c>https://example.org</c>.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Estimate requests per minute from one client address without an API key.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousRateLimit { get; set; } = 60;
}

[OptionsValidator]
internal sealed partial class RateCardOptionsValidator : IValidateOptions<RateCardOptions>;

/// <summary>Rules across fields: the card must be able to price a day, and a range must run low to high.</summary>
internal sealed class RateCardOptionsCustomValidator : IValidateOptions<RateCardOptions>
{
    public ValidateOptionsResult Validate(string? name, RateCardOptions options)
    {
        var failures = new List<string>();
        if (options.ChargePerDay is null && (options.ChargeRangeLow is null || options.ChargeRangeHigh is null))
        {
            failures.Add("RateCard:Iop needs ChargePerDay, or both ChargeRangeLow and ChargeRangeHigh, so that an estimate without pricing can be priced.");
        }

        if (options.ChargeRangeLow > options.ChargeRangeHigh)
        {
            failures.Add("RateCard:Iop:ChargeRangeLow must not be greater than RateCard:Iop:ChargeRangeHigh.");
        }

        foreach (var (key, value) in new[]
        {
            (nameof(options.ChargePerDay), options.ChargePerDay),
            (nameof(options.ChargeRangeLow), options.ChargeRangeLow),
            (nameof(options.ChargeRangeHigh), options.ChargeRangeHigh),
            (nameof(options.AllowedPerDay), options.AllowedPerDay),
            (nameof(options.SelfPayPerDay), options.SelfPayPerDay),
            (nameof(options.SelfPayPackagePrice), options.SelfPayPackagePrice),
        })
        {
            if (value is { } amount && decimal.Round(amount, 2) != amount)
            {
                failures.Add($"RateCard:Iop:{key} must be in whole cents.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

[OptionsValidator]
internal sealed partial class WebsiteOptionsValidator : IValidateOptions<WebsiteOptions>;

/// <summary>Each allowed origin must be a bare http(s) origin: CORS compares it verbatim with the browser's Origin header.</summary>
internal sealed class WebsiteOptionsCustomValidator : IValidateOptions<WebsiteOptions>
{
    public ValidateOptionsResult Validate(string? name, WebsiteOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.AllowedOrigins.Length; i++)
        {
            var origin = options.AllowedOrigins[i];
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                || uri.PathAndQuery != "/" || origin.EndsWith('/') || !string.IsNullOrEmpty(uri.Fragment))
            {
                failures.Add($"Website:AllowedOrigins:{i} must be an origin such as https://example.org (scheme, host and optional port; no path or trailing slash).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
