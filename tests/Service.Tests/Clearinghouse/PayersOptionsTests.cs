using CoverageCheck.Service.Infrastructure;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Clearinghouse;

internal sealed class PayersOptionsTests
{
    private static IReadOnlyList<string> Failures(params PayerOptions[] payers)
    {
        var options = new PayersOptions { Payers = [.. payers] };
        IValidateOptions<PayersOptions>[] validators = [new PayersOptionsValidator(), new PayersOptionsUniqueIdValidator()];
        return [.. validators.Select(v => v.Validate(Options.DefaultName, options)).Where(r => r.Failed).SelectMany(r => r.Failures!)];
    }

    private static PayerOptions Row(string id = "60054", string network = "in", decimal? allowed = 450m) =>
        new() { Id = id, Name = "AETNA", Network = network, AllowedPerDay = allowed };

    [Test]
    public void A_good_table_passes() => Assert.That(Failures(Row(), Row("00710", "OUT", null)), Is.Empty);

    [Test]
    public void A_network_other_than_in_or_out_is_refused() =>
        Assert.That(Failures(Row(network: "maybe")), Has.Some.Contains("must be \"in\" or \"out\""));

    [Test]
    public void A_payer_listed_twice_is_refused() =>
        Assert.That(Failures(Row(), Row()), Has.Some.Contains("Payers lists payer 60054 2 times"));

    [Test]
    public void A_negative_allowed_amount_is_refused() =>
        Assert.That(Failures(Row(allowed: -1m)), Is.Not.Empty);

    [Test]
    public void Network_status_is_read_case_insensitively_and_ids_exactly()
    {
        var directory = new PayerDirectory(new StaticMonitor(new PayersOptions { Payers = [Row("00710", "OUT", 300m)] }));

        Assert.That(directory.Find("00710"), Is.EqualTo(new Payer("00710", "AETNA", PayerNetwork.Out, 300m)));
        Assert.That(directory.Find("710"), Is.Null);
    }

    private sealed class StaticMonitor(PayersOptions value) : IOptionsMonitor<PayersOptions>
    {
        public PayersOptions CurrentValue => value;

        public PayersOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<PayersOptions, string?> listener) => null;
    }
}
