using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.Tests.Clearinghouse;
using CoverageCheck.Clients.X12;
using CoverageCheck.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Clients.Tests.Sandbox;

/// <summary>Issue #16: the sandbox family, asked the right way and the wrong way, over JSON and a raw 270.</summary>
public sealed class SandboxFamilyTests
{
    private static readonly DateOnly DateOfService = new(2026, 12, 1);
    private SandboxHost _sandbox = null!;
    private ServiceProvider _services = null!;
    private IClearinghouseClient _client = null!;
    private int _control;

    [SetUp]
    public async Task Start()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { LatencyMs = 0 }, CancellationToken.None);
        _services = ClearinghouseClientFactory.Build(ClearinghouseClientFactory.FastSettings(baseUrl: null), (_, _) => new ValueTask<Uri>(_sandbox.BaseAddress));
        _client = _services.GetRequiredService<IClearinghouseClient>();
    }

    [TearDown]
    public async Task Stop()
    {
        await _services.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private EligibilityInquiry Inquiry(string first, string last, DateOnly dob, string memberId, InquiryDependent? dependent = null) =>
        new(SandboxCatalogue.Aetna, first, last, dob, memberId, null, DateOfService, "AI", $"{Interlocked.Increment(ref _control):000000000}")
        {
            Dependent = dependent,
        };

    private static readonly DateOnly Rosa = new(1978, 2, 14);

    [TestCase("SAM", "1979-06-01", "01")]
    [TestCase("TESS", "2004-09-09", "19")]
    public async Task A_dependent_without_an_own_ID_is_found_under_the_subscriber_and_not_as_the_subscriber(string first, string dob, string code)
    {
        var birth = DateOnly.Parse(dob, System.Globalization.CultureInfo.InvariantCulture);

        var asDependent = await _client.CheckEligibilityAsync(
            Inquiry("ROSA", "FAMILYHEAD", Rosa, "W100000010", new InquiryDependent(first, "FAMILYHEAD", birth, code)), CancellationToken.None);
        var asSubscriber = await _client.CheckEligibilityAsync(Inquiry(first, "FAMILYHEAD", birth, "W100000010"), CancellationToken.None);

        Assert.That(asDependent.StatusCode, Is.EqualTo(200));
        Assert.That(asDependent.Reading.Coverage!.InNetwork!.Deductible!.Family!.Remaining, Is.EqualTo(2400m));
        Assert.That(asDependent.RawAnswer, Does.Contain("\"dependents\""));
        Assert.That(asSubscriber.StatusCode, Is.EqualTo(400));
        Assert.That(asSubscriber.Reading.Errors.Select(e => e.Code), Is.EqualTo(new[] { "75" }));
    }

    [Test]
    public async Task A_dependent_with_an_own_ID_is_found_as_the_subscriber_and_not_as_a_dependent()
    {
        var uma = new DateOnly(2006, 1, 20);

        var asSubscriber = await _client.CheckEligibilityAsync(Inquiry("UMA", "FAMILYHEAD", uma, "W100000012"), CancellationToken.None);
        var asDependent = await _client.CheckEligibilityAsync(
            Inquiry("ROSA", "FAMILYHEAD", Rosa, "W100000012", new InquiryDependent("UMA", "FAMILYHEAD", uma, "19")), CancellationToken.None);

        Assert.That(asSubscriber.Reading.Coverage!.Active, Is.True);
        Assert.That(asDependent.Reading.Coverage, Is.Null);
        Assert.That(asDependent.Reading.Errors.Select(e => e.Code), Is.EqualTo(new[] { "75" }));
    }

    [Test]
    public async Task A_raw_270_with_a_dependent_round_trips_to_a_271_whose_2000D_is_the_patient()
    {
        var inquiry = Inquiry("ROSA", "FAMILYHEAD", Rosa, "W100000010", new InquiryDependent("TESS", "FAMILYHEAD", new DateOnly(2004, 9, 9), "19"));
        var x270 = X270Builder.Build(inquiry, new InquiringProvider("Harbor Light Recovery IOP", "1999999984"), new X12Parties("COVERAGECHECK", "SANDBOXCH"),
            new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero));
        using var http = new HttpClient { BaseAddress = _sandbox.BaseAddress };

        using var response = await http.PostAsync("x12/270", new StringContent(x270, System.Text.Encoding.ASCII, "text/plain"));
        var x271 = await response.Content.ReadAsStringAsync();
        var read = X271Reader.Read(x271);

        Assert.That((int)response.StatusCode, Is.EqualTo(200));
        Assert.That(read.Errors, Is.Empty);
        Assert.That(read.Warnings, Is.Empty, "SE count matches");
        var answer = read.Responses.Single();
        Assert.That(answer.Dependent!.Name!.FirstName, Is.EqualTo("TESS"));
        Assert.That(answer.Dependent.RelationshipCode, Is.EqualTo("19"));
        Assert.That(answer.Dependent.Benefits, Is.Not.Empty, "the benefits are the patient's, in 2110D");
        Assert.That(CoverageNormalizer.FromX12(x271).Coverage!.InNetwork!.Deductible!.Family!.Remaining, Is.EqualTo(2400m));
    }
}
