using System.Text.RegularExpressions;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>
/// The rules of a contract as <c>PUT /api/v1/contracts/{id}</c> and <c>contracts import</c> take it, each broken one
/// named by its wire field path (<c>match.groupNumbers[1]</c>, <c>outOfNetworkAllowed</c>), never echoing the value.
/// </summary>
internal static partial class ContractValidation
{
    public const int MaxListItems = 100;
    public const decimal MaxMoney = 100_000m;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[A-Za-z0-9]{1,80}$")]
    private static partial Regex PayerIdPattern();

    [GeneratedRegex("^[A-Za-z0-9]{1,3}$")]
    private static partial Regex InsuranceTypePattern();

    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    /// <summary>The contract to store under <paramref name="id"/> (trimmed, codes upper-cased), or null with the reasons in <paramref name="errors"/>.</summary>
    public static Contract? Validate(string id, ContractRequest? body, FieldErrors errors)
    {
        if (!IsValidId(id))
        {
            errors.Add("id", "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (body is null)
        {
            errors.Add(FieldErrors.BodyField, "A contract is required.");
            return null;
        }

        if (body.Id is { Length: > 0 } bodyId && !string.Equals(bodyId, id, StringComparison.Ordinal))
        {
            errors.Add("id", "The body's id must be the id in the address (or left out).");
        }

        var payerId = body.PayerId?.Trim();
        if (string.IsNullOrEmpty(payerId) || !PayerIdPattern().IsMatch(payerId))
        {
            errors.Add("payerId", "The payer's trading-partner ID: 1 to 80 letters or digits.");
        }

        var network = body.Network?.Trim().ToLowerInvariant();
        if (network is not (ContractNetworks.In or ContractNetworks.Out))
        {
            errors.Add("network", "One of: in, out.");
        }

        Money(body.AllowedPerDay, "allowedPerDay", errors);
        if (body.OutOfNetworkAllowed is { } outOfNetwork)
        {
            if ((outOfNetwork.PerDay is null) == (outOfNetwork.PercentOfCharge is null))
            {
                errors.Add("outOfNetworkAllowed", "Give exactly one of perDay or percentOfCharge.");
            }

            Money(outOfNetwork.PerDay, "outOfNetworkAllowed.perDay", errors);
            if (outOfNetwork.PercentOfCharge is { } percent && (percent < 0 || percent > 100 || decimal.Round(percent, 2) != percent))
            {
                errors.Add("outOfNetworkAllowed.percentOfCharge", "A percent from 0 to 100, at most two decimals.");
            }
        }

        if (body.EffectiveFrom is null)
        {
            errors.Add("effectiveFrom", "The first day the contract is in force is required.");
        }

        if (body.EffectiveTo is { } to && to < body.EffectiveFrom)
        {
            errors.Add("effectiveTo", "Must not be before effectiveFrom.");
        }

        var match = body.Match ?? new ContractMatch();
        var planName = match.PlanNameContains?.Trim();
        if (match.PlanNameContains is not null && (planName!.Length == 0 || planName.Length > 100))
        {
            errors.Add("match.planNameContains", "1 to 100 characters, or left out.");
        }

        var groups = List(match.GroupNumbers, "match.groupNumbers", value => value.Length is >= 1 and <= 50, "1 to 50 characters.", errors);
        var types = List(match.InsuranceTypes, "match.insuranceTypes", InsuranceTypePattern().IsMatch, "An X12 insurance type code (EB04): 1 to 3 letters or digits, such as PR, HM, EP.", errors);

        return errors.IsEmpty
            ? new Contract
            {
                Id = id,
                PayerId = payerId!,
                Network = network!,
                AllowedPerDay = Cents(body.AllowedPerDay),
                OutOfNetworkAllowed = body.OutOfNetworkAllowed is { } allowed ? new OutOfNetworkAllowed(Cents(allowed.PerDay), allowed.PercentOfCharge) : null,
                EffectiveFrom = body.EffectiveFrom!.Value,
                EffectiveTo = body.EffectiveTo,
                Match = new ContractMatch
                {
                    PlanNameContains = string.IsNullOrEmpty(planName) ? null : planName,
                    GroupNumbers = groups,
                    InsuranceTypes = types?.Select(t => t.ToUpperInvariant()).ToArray(),
                },
            }
            : null;
    }

    // Money is stored and answered with two decimals (450.00), whatever the caller wrote.
    private static decimal? Cents(decimal? amount) => amount is { } value ? decimal.Round(value, 2) + 0.00m : null;

    private static void Money(decimal? amount, string field, FieldErrors errors)
    {
        if (amount is { } value && (value < 0 || value > MaxMoney || decimal.Round(value, 2) != value))
        {
            errors.Add(field, $"An amount from 0 to {MaxMoney:0}, in cents.");
        }
    }

    private static string[]? List(IReadOnlyList<string>? values, string field, Func<string, bool> valid, string rule, FieldErrors errors)
    {
        if (values is null || values.Count == 0)
        {
            return null;
        }

        if (values.Count > MaxListItems)
        {
            errors.Add(field, $"At most {MaxListItems} values.");
        }

        var trimmed = new string[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            trimmed[i] = values[i]?.Trim() ?? "";
            if (!valid(trimmed[i]))
            {
                errors.Add($"{field}[{i}]", rule);
            }
        }

        return trimmed;
    }
}
