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

    /// <summary>
    /// Typical plans of this payer (<c>Payers:N:Presets:M:*</c>) that the website's calculator offers to prefill,
    /// always labelled as typical: they are examples, not anyone's benefits.
    /// </summary>
    [ValidateEnumeratedItems]
    public List<PayerPresetOptions> Presets { get; set; } = [];
}

/// <summary>A typical plan of a payer (<c>Payers:N:Presets:M:Name|Deductible|CoinsurancePercent|CopayPerDay|OutOfPocketMax</c>).</summary>
internal sealed class PayerPresetOptions
{
    [Required]
    [StringLength(60, MinimumLength = 1)]
    public string Name { get; set; } = "";

    /// <summary>The yearly individual deductible.</summary>
    [Required]
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? Deductible { get; set; }

    /// <summary>The patient's share after the deductible, 0..100.</summary>
    [Required]
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true)]
    public decimal? CoinsurancePercent { get; set; }

    [Required]
    [Range(typeof(decimal), "0", "100000", ParseLimitsInInvariantCulture = true)]
    public decimal? CopayPerDay { get; set; }

    /// <summary>The yearly individual out-of-pocket maximum.</summary>
    [Required]
    [Range(typeof(decimal), "0", "1000000", ParseLimitsInInvariantCulture = true)]
    public decimal? OutOfPocketMax { get; set; }
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

/// <summary>
/// Rules across a payer's presets: amounts in whole cents, one name once per payer (the calculator picks by name), and
/// a deductible no greater than the out-of-pocket maximum it counts toward.
/// </summary>
internal sealed class PayerPresetsOptionsValidator : IValidateOptions<PayersOptions>
{
    public ValidateOptionsResult Validate(string? name, PayersOptions options)
    {
        var failures = new List<string>();
        for (var n = 0; n < options.Payers.Count; n++)
        {
            var presets = options.Payers[n].Presets;
            for (var m = 0; m < presets.Count; m++)
            {
                var preset = presets[m];
                var key = $"Payers:{n}:Presets:{m}";
                foreach (var (field, value) in new[]
                {
                    (nameof(preset.Deductible), preset.Deductible),
                    (nameof(preset.CopayPerDay), preset.CopayPerDay),
                    (nameof(preset.OutOfPocketMax), preset.OutOfPocketMax),
                })
                {
                    if (value is { } amount && decimal.Round(amount, 2) != amount)
                    {
                        failures.Add($"{key}:{field} must be in whole cents.");
                    }
                }

                if (preset.Deductible > preset.OutOfPocketMax)
                {
                    failures.Add($"{key}:Deductible must not be greater than {key}:OutOfPocketMax.");
                }

                if (presets.Take(m).Any(p => string.Equals(p.Name.Trim(), preset.Name.Trim(), StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add($"{key}:Name repeats another preset of payer {options.Payers[n].Id}: give each preset its own name.");
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
