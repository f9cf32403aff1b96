using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.CarveOuts;

/// <summary>
/// The behavioural-health administrators (carve-outs) the service follows (http-api.md "Carve-outs"):
/// <c>CarveOuts:N:Name</c> or <c>CarveOuts:N:Names:M</c> (as payers write it), <c>CarveOuts:N:PayerId</c>,
/// <c>CarveOuts:N:MemberIdFrom</c> (<c>entity</c> or <c>same</c>).
/// </summary>
internal sealed class CarveOutsOptions
{
    public const string SectionName = "CarveOuts";

    [ValidateEnumeratedItems]
    public List<CarveOutAdministratorOptions> Administrators { get; set; } = [];
}

/// <summary>One administrator.</summary>
internal sealed class CarveOutAdministratorOptions
{
    /// <summary>The administrator's name as payers write it in the 271 (matched case-insensitively).</summary>
    public string? Name { get; set; }

    /// <summary>More names for the same administrator (payers spell it differently).</summary>
    public List<string> Names { get; set; } = [];

    /// <summary>Its payer ID for eligibility (trading-partner ID, leading zeros kept).</summary>
    [Required(ErrorMessage = "CarveOuts:N:PayerId is required: the administrator's payer ID for eligibility.")]
    [RegularExpression("^[A-Za-z0-9]{1,80}$", ErrorMessage = "CarveOuts:N:PayerId must be 1 to 80 letters or digits.")]
    public string PayerId { get; set; } = "";

    /// <summary>
    /// <c>entity</c>: the member ID is the one the plan's answer gives for the administrator (2120C NM109,
    /// <c>benefitsRelatedEntities[].entityIdentificationValue</c>); <c>same</c>: the card's member ID.
    /// </summary>
    [Required(ErrorMessage = "CarveOuts:N:MemberIdFrom is required: \"entity\" or \"same\".")]
    [RegularExpression("^(?i)(entity|same)$", ErrorMessage = "CarveOuts:N:MemberIdFrom must be \"entity\" or \"same\".")]
    public string MemberIdFrom { get; set; } = "";

    /// <summary>Every name given, trimmed, blanks left out: <see cref="Name"/> first.</summary>
    public IEnumerable<string> AllNames() =>
        (Name is null ? Names : Names.Prepend(Name)).Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim());
}

[OptionsValidator]
internal sealed partial class CarveOutsOptionsValidator : IValidateOptions<CarveOutsOptions>;

/// <summary>Each administrator has a name, and no name belongs to two administrators.</summary>
internal sealed class CarveOutsOptionsCustomValidator : IValidateOptions<CarveOutsOptions>
{
    public ValidateOptionsResult Validate(string? name, CarveOutsOptions options)
    {
        var failures = new List<string>();
        var owners = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < options.Administrators.Count; i++)
        {
            var names = options.Administrators[i].AllNames().ToList();
            if (names.Count == 0)
            {
                failures.Add($"CarveOuts:{i} has no name: set CarveOuts:{i}:Name (or CarveOuts:{i}:Names:0, …) to the administrator's name as payers write it.");
            }

            foreach (var key in names.Select(CarveOutDirectory.Key).Distinct(StringComparer.Ordinal))
            {
                if (owners.TryGetValue(key, out var other))
                {
                    failures.Add($"CarveOuts:{other} and CarveOuts:{i} both have the name \"{key}\": a name maps to one administrator.");
                }
                else
                {
                    owners[key] = i;
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
