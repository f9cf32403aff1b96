using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>Whether the program is in a payer's network.</summary>
internal enum PayerNetwork
{
    In,
    Out,
}

/// <summary>A payer the program deals with.</summary>
/// <param name="Id">Trading-partner ID (leading zeros kept).</param>
/// <param name="Name">Display name.</param>
/// <param name="Network">Our network status with this payer.</param>
/// <param name="AllowedPerDay">Contracted or expected allowed amount per IOP day; null when the table does not say.</param>
internal sealed record Payer(string Id, string Name, PayerNetwork Network, decimal? AllowedPerDay);

/// <summary>A typical plan of a payer (<c>Payers:N:Presets:M:*</c>), yearly individual amounts.</summary>
internal sealed record PayerPreset(string Name, decimal Deductible, decimal CoinsurancePercent, decimal CopayPerDay, decimal OutOfPocketMax);

/// <summary>
/// The payer table from <c>Payers:*</c>. A payer not listed has an unknown network status: estimates assume in
/// network and say so (<c>network-status-unknown</c>).
/// </summary>
internal sealed class PayerDirectory(IOptionsMonitor<PayersOptions> options)
{
    public IReadOnlyList<Payer> All =>
        [.. options.CurrentValue.Payers.Select(ToPayer)];

    /// <summary>The payer with this trading-partner ID (exact, ordinal: <c>00710</c> is not <c>710</c>), or null.</summary>
    public Payer? Find(string payerId) =>
        options.CurrentValue.Payers.FirstOrDefault(p => string.Equals(p.Id, payerId, StringComparison.Ordinal)) is { } row ? ToPayer(row) : null;

    /// <summary>Every payer with its typical plans (presets are examples for the website, not part of a <see cref="Payer"/>).</summary>
    public IReadOnlyList<(Payer Payer, IReadOnlyList<PayerPreset> Presets)> AllWithPresets =>
        [.. options.CurrentValue.Payers.Select(row => (ToPayer(row), (IReadOnlyList<PayerPreset>)[.. row.Presets.Select(ToPreset)]))];

    // Validated at start-up: every amount is present.
    private static PayerPreset ToPreset(PayerPresetOptions p) =>
        new(p.Name.Trim(), p.Deductible ?? 0m, p.CoinsurancePercent ?? 0m, p.CopayPerDay ?? 0m, p.OutOfPocketMax ?? 0m);

    private static Payer ToPayer(PayerOptions row) => new(
        row.Id,
        row.Name,
        string.Equals(row.Network, "out", StringComparison.OrdinalIgnoreCase) ? PayerNetwork.Out : PayerNetwork.In,
        row.AllowedPerDay);
}

internal static class PayerDirectoryExtensions
{
    public static IServiceCollection AddPayerDirectory(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<PayersOptions>()
            .Configure(options => configuration.GetSection(PayersOptions.SectionName).Bind(options.Payers));
        services.AddSingleton<IValidateOptions<PayersOptions>, PayersOptionsValidator>();
        services.AddSingleton<IValidateOptions<PayersOptions>, PayersOptionsUniqueIdValidator>();
        services.AddSingleton<IValidateOptions<PayersOptions>, PayerPresetsOptionsValidator>();
        services.AddSingleton<PayerDirectory>();
        services.AddProgramTime();
        return services;
    }
}
