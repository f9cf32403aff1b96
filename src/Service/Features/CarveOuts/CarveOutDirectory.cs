using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.CarveOuts;

/// <summary>A configured behavioural-health administrator.</summary>
/// <param name="Name">Its display name (the first configured).</param>
/// <param name="PayerId">Its payer ID for eligibility.</param>
/// <param name="MemberIdFromEntity">True: ask with the ID the plan's answer gives for it; false: with the card's member ID.</param>
internal sealed record CarveOutAdministrator(string Name, string PayerId, bool MemberIdFromEntity);

/// <summary>The administrators from <c>CarveOuts:*</c>, found by the name a payer's answer gives.</summary>
internal sealed class CarveOutDirectory(IOptionsMonitor<CarveOutsOptions> options)
{
    /// <summary>The administrator with this name (case, spacing and a trailing full stop ignored), or null when not configured.</summary>
    public CarveOutAdministrator? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var key = Key(name);
        var row = options.CurrentValue.Administrators.FirstOrDefault(a => a.AllNames().Any(n => Key(n) == key));
        return row is null
            ? null
            : new CarveOutAdministrator(row.AllNames().First(), row.PayerId.Trim(), string.Equals(row.MemberIdFrom, "entity", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>A name as compared: upper case, single spaces, no trailing full stop ("Acme  Behavioral Health." is "ACME BEHAVIORAL HEALTH").</summary>
    internal static string Key(string name) =>
        string.Join(' ', name.Trim().TrimEnd('.').Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
}
