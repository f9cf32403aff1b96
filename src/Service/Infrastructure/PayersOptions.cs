using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// The payers the program deals with (<c>Payers:N:Id</c>, <c>:Name</c>, <c>:Network</c>, <c>:AllowedPerDay</c>): our
/// network status with each, and the contracted or expected allowed amount per IOP day.
/// </summary>
internal sealed class PayersOptions
{
    public const string SectionName = "Payers";

    [ValidateEnumeratedItems]
    public List<PayerOptions> Payers { get; set; } = [];
}

/// <summary>One row of the payer table.</summary>
internal sealed class PayerOptions
{
    /// <summary>The payer's trading-partner ID, as sent in <c>tradingPartnerServiceId</c> (leading zeros kept).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]{1,80}$", ErrorMessage = "Payers:N:Id must be 1 to 80 letters or digits.")]
    public string Id { get; set; } = "";

    [Required]
    [StringLength(100, MinimumLength = 1)]
    public string Name { get; set; } = "";

    /// <summary><c>in</c> or <c>out</c>: whether the program is in this payer's network.</summary>
    [Required]
    [RegularExpression("^(?i)(in|out)$", ErrorMessage = "Payers:N:Network must be \"in\" or \"out\".")]
    public string Network { get; set; } = "";

    /// <summary>Contracted (in network) or expected (out of network) allowed amount per IOP day; null when unknown.</summary>
    [Range(typeof(decimal), "0", "100000")]
    public decimal? AllowedPerDay { get; set; }
}

[OptionsValidator]
internal sealed partial class PayersOptionsValidator : IValidateOptions<PayersOptions>;

/// <summary>Payer IDs must be unique: two rows for one payer would make its network status ambiguous.</summary>
internal sealed class PayersOptionsUniqueIdValidator : IValidateOptions<PayersOptions>
{
    public ValidateOptionsResult Validate(string? name, PayersOptions options)
    {
        var duplicates = options.Payers
            .GroupBy(p => p.Id, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"Payers lists payer {g.Key} {g.Count()} times: keep one row per payer.")
            .ToList();
        return duplicates.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(duplicates);
    }
}
