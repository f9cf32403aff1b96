using CoverageCheck.Service.Features.Estimates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Estimates;

/// <summary>
/// Bad rate-card or website settings stop the service at start-up with one clear sentence each. The host is built with
/// <see cref="EstimatesApi.AddEstimates"/> and its start-up validator run, which is what the service does before it
/// listens (Program.cs prints these sentences and exits).
/// </summary>
internal sealed class EstimateOptionsTests
{
    [Test]
    public void The_shipped_appsettings_are_valid()
    {
        Assert.That(StartUpFailures(new Dictionary<string, string?>()), Is.Empty);
    }

    [TestCase("RateCard:Iop:ChargeRangeLow", "700", "ChargeRangeLow must not be greater than RateCard:Iop:ChargeRangeHigh")]
    [TestCase("RateCard:Iop:ChargePerDay", "-5", "ChargePerDay")]
    [TestCase("RateCard:Iop:SelfPayPerDay", "350.005", "RateCard:Iop:SelfPayPerDay must be in whole cents")]
    [TestCase("Website:AnonymousRateLimit", "0", "AnonymousRateLimit")]
    [TestCase("Website:AllowedOrigins:0", "https://www.example-iop.org/estimate", "Website:AllowedOrigins:0 must be an origin")]
    [TestCase("Website:AllowedOrigins:0", "www.example-iop.org", "Website:AllowedOrigins:0 must be an origin")]
    public void Bad_configuration_stops_the_service_at_start_up(string key, string value, string expected)
    {
        var failures = StartUpFailures(new Dictionary<string, string?> { [key] = value });

        Assert.That(failures, Has.Some.Contains(expected));
    }

    [Test]
    public void Neither_a_charge_nor_a_whole_published_range_stops_the_service_at_start_up()
    {
        var failures = StartUpFailures(new Dictionary<string, string?> { ["RateCard:Iop:ChargePerDay"] = "", ["RateCard:Iop:ChargeRangeHigh"] = "" });

        Assert.That(failures, Has.Some.Contains("needs ChargePerDay, or both ChargeRangeLow and ChargeRangeHigh"));
    }

    [Test]
    public void A_configured_charge_per_day_needs_no_published_range()
    {
        using var app = new ServiceApplication(new Dictionary<string, string?>
        {
            ["RateCard:Iop:ChargePerDay"] = "450.00",
            ["RateCard:Iop:ChargeRangeLow"] = "",
            ["RateCard:Iop:ChargeRangeHigh"] = "",
        });

        Assert.That(() => app.CreateClient().Dispose(), Throws.Nothing);
    }

    private static string[] StartUpFailures(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ContentRootPath = Path.GetDirectoryName(typeof(EstimatesApi).Assembly.Location),
        });
        builder.Configuration.AddJsonFile("appsettings.json", optional: false);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEstimates();
        using var app = builder.Build();
        try
        {
            app.Services.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(inner => inner.Failures)];
        }
    }
}
