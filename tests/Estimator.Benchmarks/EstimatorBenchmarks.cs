using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace CoverageCheck.Estimator.Benchmarks;

/// <summary>
/// One full 12-week, 5-day estimate (60 sessions: deductible, coinsurance and the out-of-pocket cap all engage), and
/// the reference S14 range estimate (main + 8×3 low + 12×5 high). Target: under 20 µs for the 60-session estimate.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class EstimatorBenchmarks
{
    private static readonly Coverage InNetworkPpo = new()
    {
        Status = CoverageStatus.Active,
        Network = NetworkStatus.In,
        Deductible = new Deductible { Individual = 1500m, Family = 3000m, Embedded = true },
        CopayPerDay = 0m,
        CoinsurancePercent = 20m,
        OutOfPocketMax = new OutOfPocketMax(5000m, 10000m),
        PriorAuthorizationRequired = true,
    };

    private readonly EstimateRequest _twelveWeeksFiveDays = new()
    {
        Program = new ProgramSchedule { StartDate = new DateOnly(2025, 3, 3), Weeks = 12, DaysPerWeek = 5 },
        Pricing = new Pricing(650m, 400m),
        Coverage = InNetworkPpo,
    };

    private readonly EstimateRequest _range = new()
    {
        Program = new ProgramSchedule { StartDate = new DateOnly(2025, 3, 3), Weeks = 8, DaysPerWeek = 3 },
        Pricing = new Pricing(650m, 400m),
        Coverage = InNetworkPpo,
        Range = new ProgramRange(new IntRange(8, 12), new IntRange(3, 5)),
    };

    [Benchmark(Baseline = true, Description = "12 weeks x 5 days (60 sessions)")]
    public EstimateResult TwelveWeeksFiveDays() => CostEstimator.Estimate(_twelveWeeksFiveDays);

    [Benchmark(Description = "Range 8-12 weeks x 3-5 days (main + low + high)")]
    public EstimateResult RangeEstimate() => CostEstimator.Estimate(_range);
}
