namespace CoverageCheck.Service.Features.Payers;

/// <summary>One row of <c>GET /api/v1/payers</c>: a payer the program works with and its typical plans.</summary>
/// <param name="Id">Trading-partner ID (leading zeros kept).</param>
/// <param name="Name">Display name.</param>
/// <param name="Network"><c>in</c> or <c>out</c>: our network status with this payer; null when not known.</param>
/// <param name="Presets">Typical plans the website may prefill, labelled as typical; empty when none is configured.</param>
internal sealed record PayerListItem(string Id, string Name, string? Network, IReadOnlyList<PayerPresetItem> Presets);

/// <summary>A typical plan: yearly individual amounts, coinsurance as the patient's percent.</summary>
internal sealed record PayerPresetItem(string Name, decimal Deductible, decimal CoinsurancePercent, decimal CopayPerDay, decimal OutOfPocketMax);
