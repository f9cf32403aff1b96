using System.Text.Json;
using CoverageCheck.Clients;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Service.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Clearinghouse;

/// <summary>The service on its embedded defaults reaches the built-in sandbox through the real client and pipeline.</summary>
internal sealed class ClearinghouseWiringTests
{
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start()
    {
        _app = new ServiceApplication();
        _ = _app.Server; // start the host: the sandbox starts with it
    }

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [Test]
    public async Task With_no_BaseUrl_the_client_reaches_the_sandbox_over_HTTP()
    {
        var client = _app.Services.GetRequiredService<IClearinghouseClient>();
        var inquiry = new EligibilityInquiry("60054", "Ava", "Pposample", new DateOnly(1985, 4, 12), "W100000001", "AET100",
            new DateOnly(2026, 12, 1), "AI", "000000123");

        var answer = await client.CheckEligibilityAsync(inquiry, CancellationToken.None);
        // The raw answer is only parsed here to prove the request reached the sandbox as sent.
        using var json = JsonDocument.Parse(answer.RawAnswer);

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("controlNumber").GetString(), Is.EqualTo("000000123"));
        Assert.That(json.RootElement.GetProperty("provider").GetProperty("npi").GetString(), Is.EqualTo("1999999984"));
        Assert.That(json.RootElement.GetProperty("x12").GetString(), Does.StartWith("ISA*"));
        Assert.That(answer.Reading.Coverage?.Active, Is.True);
        Assert.That(answer.Reading.Coverage?.InNetwork?.Deductible?.Individual?.Remaining, Is.EqualTo(1300m));
        Assert.That(answer.Reading.Payer?.Name, Is.EqualTo("AETNA"));
    }

    [Test]
    public async Task A_member_the_sandbox_does_not_know_comes_back_as_AAA_75()
    {
        var client = _app.Services.GetRequiredService<IClearinghouseClient>();
        var inquiry = new EligibilityInquiry("60054", "Nobody", "Known", new DateOnly(1990, 1, 1), "W000000000", null,
            new DateOnly(2026, 12, 1), "30", "000000124");

        var answer = await client.CheckEligibilityAsync(inquiry, CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(400));
        Assert.That(answer.Reading.Coverage, Is.Null);
        Assert.That(answer.Reading.Errors.Select(e => e.Code).Distinct(), Is.EqualTo(new[] { "75" }));
    }

    [Test]
    public async Task A_coverage_change_in_the_hosted_sandbox_shows_on_the_next_inquiry()
    {
        var sandbox = _app.Services.GetRequiredService<SandboxClearinghouse>();
        var state = await sandbox.GetStateAsync(CancellationToken.None);
        var client = _app.Services.GetRequiredService<IClearinghouseClient>();
        var inquiry = new EligibilityInquiry("60054", "Ben", "Dedmet", new DateOnly(1979, 9, 30), "W100000002", "AET100",
            new DateOnly(2026, 12, 1), "AI", "000000125");

        state.Update("60054", "W100000002", member => new CoverageCheck.Sandbox.SandboxMemberUpdate(Status: "terminated").ApplyTo(member));
        try
        {
            var answer = await client.CheckEligibilityAsync(inquiry, CancellationToken.None);

            Assert.That(answer.Reading.Coverage?.Active, Is.False);
            Assert.That(answer.Reading.Coverage?.InNetwork?.Deductible, Is.Null, "a terminated member has no cost rows");
            Assert.That((await sandbox.GetBaseAddressAsync(CancellationToken.None)).IsLoopback, Is.True);
        }
        finally
        {
            state.Update("60054", "W100000002", member => new CoverageCheck.Sandbox.SandboxMemberUpdate(Status: "active").ApplyTo(member));
        }
    }

    [Test]
    public void The_clearinghouse_defaults_come_from_appsettings()
    {
        var options = _app.Services.GetRequiredService<IOptions<ClearinghouseOptions>>().Value;

        Assert.That(options.BaseUrl, Is.Null);
        Assert.That(options.MaxConcurrency, Is.EqualTo(40));
        Assert.That(options.Provider.Npi, Is.EqualTo("1999999984"));
    }

    [Test]
    public void The_payer_table_lists_the_sandbox_payers_with_network_and_allowed_amount()
    {
        var payers = _app.Services.GetRequiredService<PayerDirectory>();

        Assert.That(payers.Find("60054"), Is.EqualTo(new Payer("60054", "AETNA", PayerNetwork.In, 450.00m)));
        Assert.That(payers.Find("87726")?.Network, Is.EqualTo(PayerNetwork.Out));
        Assert.That(payers.Find("00710")?.Name, Is.EqualTo("SANDBOX REGIONAL HEALTH PLAN"));
        Assert.That(payers.Find("710"), Is.Null, "payer IDs keep their leading zeros");
        Assert.That(payers.All, Has.Count.EqualTo(9), "the eight plans and the carve-out administrator ACME Behavioral Health");
    }
}
