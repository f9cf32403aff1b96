using CoverageCheck.Service.Features.CarveOuts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.CarveOuts;

/// <summary>Issue #16: <c>CarveOuts:N:*</c> is checked at start-up, one clear sentence per problem; names match loosely.</summary>
internal sealed class CarveOutsOptionsTests
{
    private static IReadOnlyList<string> Failures(params CarveOutAdministratorOptions[] administrators)
    {
        var options = new CarveOutsOptions { Administrators = [.. administrators] };
        IValidateOptions<CarveOutsOptions>[] validators = [new CarveOutsOptionsValidator(), new CarveOutsOptionsCustomValidator()];
        return [.. validators.Select(v => v.Validate(Options.DefaultName, options)).Where(r => r.Failed).SelectMany(r => r.Failures!)];
    }

    private static CarveOutAdministratorOptions Acme(string? name = "ACME Behavioral Health", string payerId = "ACMBH", string memberIdFrom = "entity", params string[] names) =>
        new() { Name = name, Names = [.. names], PayerId = payerId, MemberIdFrom = memberIdFrom };

    [Test]
    public void A_good_list_passes() =>
        Assert.That(Failures(Acme(), Acme(null, "MBH01", "SAME", "Magellan Behavioral Health", "MAGELLAN")), Is.Empty);

    [Test]
    public void An_administrator_without_a_name_is_refused() =>
        Assert.That(Failures(Acme(name: " ")), Is.EqualTo(new[]
        {
            "CarveOuts:0 has no name: set CarveOuts:0:Name (or CarveOuts:0:Names:0, …) to the administrator's name as payers write it.",
        }));

    [Test]
    public void MemberIdFrom_other_than_entity_or_same_is_refused() =>
        Assert.That(Failures(Acme(memberIdFrom: "card")), Has.Some.Contains("CarveOuts:N:MemberIdFrom must be \"entity\" or \"same\""));

    [Test]
    public void A_missing_payer_ID_is_refused() =>
        Assert.That(Failures(Acme(payerId: "")), Has.Some.Contains("CarveOuts:N:PayerId is required"));

    [Test]
    public void A_name_given_to_two_administrators_is_refused_whatever_its_case() =>
        Assert.That(Failures(Acme(), Acme(null, "OTHER", "same", "acme  behavioral health.")), Is.EqualTo(new[]
        {
            "CarveOuts:0 and CarveOuts:1 both have the name \"ACME BEHAVIORAL HEALTH\": a name maps to one administrator.",
        }));

    [Test]
    public void Names_match_case_and_spacing_insensitively_and_several_names_map_to_one_administrator()
    {
        var directory = new CarveOutDirectory(new StaticMonitor(new CarveOutsOptions { Administrators = [Acme(names: "ACME BH")] }));

        Assert.Multiple(() =>
        {
            Assert.That(directory.Find("ACME BEHAVIORAL HEALTH"), Is.EqualTo(new CarveOutAdministrator("ACME Behavioral Health", "ACMBH", MemberIdFromEntity: true)));
            Assert.That(directory.Find("  acme   bh "), Is.EqualTo(new CarveOutAdministrator("ACME Behavioral Health", "ACMBH", MemberIdFromEntity: true)));
            Assert.That(directory.Find("ACME Behavioral"), Is.Null, "a name, not a prefix");
            Assert.That(directory.Find(null), Is.Null);
        });
    }

    [Test]
    public void The_service_reads_CarveOuts_from_its_configuration_and_refuses_a_bad_entry_at_start_up()
    {
        using var good = new ServiceApplication();
        Assert.That(good.Services.GetRequiredService<CarveOutDirectory>().Find("acme bh")?.PayerId, Is.EqualTo("ACMBH"), "the sample entry of appsettings.json, Names:1");

        using var bad = new ServiceApplication(new Dictionary<string, string?>
        {
            ["CarveOuts:0:MemberIdFrom"] = "card",
            ["CarveOuts:1:PayerId"] = "MBH01",
            ["CarveOuts:1:MemberIdFrom"] = "same",
        });
        var failure = Assert.Throws<OptionsValidationException>(() => _ = bad.Services.GetRequiredService<IOptions<CarveOutsOptions>>().Value);
        Assert.That(failure!.Failures, Has.Some.Contains("CarveOuts:N:MemberIdFrom must be \"entity\" or \"same\"")
            .And.Some.StartsWith("CarveOuts:1 has no name"));
    }

    private sealed class StaticMonitor(CarveOutsOptions value) : IOptionsMonitor<CarveOutsOptions>
    {
        public CarveOutsOptions CurrentValue => value;

        public CarveOutsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<CarveOutsOptions, string?> listener) => null;
    }
}
