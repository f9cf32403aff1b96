namespace CoverageCheck.Service.Features.Contracts;

/// <summary>
/// One payer contract (http-api.md "Contracts"): for the plans of <see cref="PayerId"/> that <see cref="Match"/> picks
/// out, our network status and the allowed amount per IOP day (H0015, revenue code 0906), between its effective dates.
/// The wire shape of <c>GET/PUT /api/v1/contracts</c>, and what is stored.
/// </summary>
internal sealed record Contract
{
    public required string Id { get; init; }
    public required string PayerId { get; init; }
    public ContractMatch Match { get; init; } = new();

    /// <summary><c>in</c> or <c>out</c>.</summary>
    public required string Network { get; init; }

    /// <summary>The contracted (in network) or expected allowed amount per IOP day; null: the payer table's, else the rate card's.</summary>
    public decimal? AllowedPerDay { get; init; }

    /// <summary>Out of network: what the plan allows, a fixed amount per day or a percent of the charge.</summary>
    public OutOfNetworkAllowed? OutOfNetworkAllowed { get; init; }
    public required DateOnly EffectiveFrom { get; init; }
    public DateOnly? EffectiveTo { get; init; }
    public DateTimeOffset? UpdatedAt { get; init; }
    public string? UpdatedBy { get; init; }

    /// <summary>True when the contract is in force on <paramref name="date"/> (both ends inclusive).</summary>
    public bool IsEffectiveOn(DateOnly date) => EffectiveFrom <= date && (EffectiveTo is null || date <= EffectiveTo);
}

/// <summary>The body of <c>PUT /api/v1/contracts/{id}</c> (and a row of <c>contracts import</c>) as read, before its rules are checked.</summary>
internal sealed record ContractRequest(
    string? Id,
    string? PayerId,
    ContractMatch? Match,
    string? Network,
    decimal? AllowedPerDay,
    OutOfNetworkAllowed? OutOfNetworkAllowed,
    DateOnly? EffectiveFrom,
    DateOnly? EffectiveTo);

/// <summary>
/// Which of the payer's plans a contract is for. Every rule given must hold; none given: every plan of the payer.
/// Compared ignoring case and surrounding spaces.
/// </summary>
internal sealed record ContractMatch
{
    /// <summary>The plan name the payer reports contains this text (e.g. <c>PPO</c>, <c>EPO</c>).</summary>
    public string? PlanNameContains { get; init; }

    /// <summary>The plan's group number is one of these (the payer's, else the one on the card).</summary>
    public IReadOnlyList<string>? GroupNumbers { get; init; }

    /// <summary>The plan's X12 insurance type code (EB04: <c>PR</c> PPO, <c>HM</c> HMO, <c>EP</c> EPO, <c>PS</c> POS, <c>MC</c> Medicaid …) is one of these.</summary>
    public IReadOnlyList<string>? InsuranceTypes { get; init; }
}

/// <summary>Out-of-network allowed amount: exactly one of a fixed amount per day or a percent of the charge.</summary>
internal sealed record OutOfNetworkAllowed(decimal? PerDay, decimal? PercentOfCharge);

/// <summary>
/// Which contract a verification used (<c>contract</c> in a verification and a batch row): its id, and the most specific
/// rule it matched on: <c>groupNumber</c>, <c>planName</c>, <c>insuranceType</c> or <c>payer</c> (a payer-wide contract).
/// </summary>
internal sealed record ContractMatchInfo(string Id, string MatchedOn);

/// <summary>The <c>matchedOn</c> values, most specific first.</summary>
internal static class ContractMatchedOn
{
    public const string GroupNumber = "groupNumber";
    public const string PlanName = "planName";
    public const string InsuranceType = "insuranceType";
    public const string Payer = "payer";
}

/// <summary>The <c>network</c> values.</summary>
internal static class ContractNetworks
{
    public const string In = "in";
    public const string Out = "out";
}
