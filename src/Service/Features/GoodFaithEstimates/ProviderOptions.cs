using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.GoodFaithEstimates;

/// <summary>
/// The program as a provider (<c>Provider:*</c>): what a Good Faith Estimate must name (45 CFR 149.610: name, NPI,
/// TIN and location). The NPI is configured once, as <c>Clearinghouse:Provider:Npi</c>, and read from there.
/// appsettings.json carries sandbox values; production sets the real ones.
/// </summary>
internal sealed class ProviderOptions
{
    public const string SectionName = "Provider";

    /// <summary>The sandbox's TIN in appsettings.json; Production refuses to issue an estimate with it.</summary>
    public const string SandboxTaxId = "00-0000000";

    /// <summary>The sandbox's NPI (<c>Clearinghouse:Provider:Npi</c> in appsettings.json); Production refuses to issue an estimate with it.</summary>
    public const string SandboxNpi = "1999999984";

    [Required]
    public string Name { get; set; } = "";

    /// <summary>The Taxpayer Identification Number (EIN), as 12-3456789.</summary>
    [Required]
    public string TaxId { get; set; } = "";

    [Required]
    public string AddressLine1 { get; set; } = "";

    public string? AddressLine2 { get; set; }

    [Required]
    public string City { get; set; } = "";

    [Required]
    public string State { get; set; } = "";

    [Required]
    public string PostalCode { get; set; } = "";

    [Required]
    public string Phone { get; set; } = "";

    /// <summary>Where patients send questions about an estimate or a bill.</summary>
    public string? BillingEmail { get; set; }

    /// <summary>The IANA time zone of the program's location; dates issued are in it.</summary>
    [Required]
    public string TimeZone { get; set; } = "America/Los_Angeles";

    public string Location => string.Join(", ", new[] { AddressLine1, AddressLine2, City, $"{State} {PostalCode}" }.Where(part => !string.IsNullOrWhiteSpace(part)));
}

[OptionsValidator]
internal sealed partial class ProviderOptionsValidator : IValidateOptions<ProviderOptions>;

internal sealed class ProviderOptionsCustomValidator : IValidateOptions<ProviderOptions>
{
    public ValidateOptionsResult Validate(string? name, ProviderOptions options)
    {
        var failures = new List<string>();
        if (!(options.TaxId.Length == 10 && options.TaxId[2] == '-' && options.TaxId.Remove(2, 1).All(char.IsAsciiDigit)))
        {
            failures.Add("Provider:TaxId must be the Employer Identification Number written as 12-3456789.");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            failures.Add($"Provider:TimeZone '{options.TimeZone}' is not a time zone this machine knows (use an IANA name such as America/Los_Angeles).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
