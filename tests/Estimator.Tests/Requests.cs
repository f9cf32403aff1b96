namespace CoverageCheck.Estimator.Tests;

/// <summary>Small builders for the rule tests: a plain in-network plan that each test bends one way.</summary>
internal static class Requests
{
    public static readonly DateOnly Monday = new(2025, 3, 3);

    public static EstimateRequest Weekly(int weeks, int daysPerWeek, Coverage? coverage, Pricing? pricing = null, DateOnly? start = null) => new()
    {
        Program = new ProgramSchedule { StartDate = start ?? Monday, Weeks = weeks, DaysPerWeek = daysPerWeek },
        Pricing = pricing ?? new Pricing(650m, 400m),
        Coverage = coverage,
    };

    public static EstimateRequest OnDates(Coverage? coverage, Pricing pricing, params DateOnly[] dates) => new()
    {
        Program = new ProgramSchedule { SessionDates = dates },
        Pricing = pricing,
        Coverage = coverage,
    };

    public static Coverage InNetwork() => new()
    {
        Status = CoverageStatus.Active,
        Network = NetworkStatus.In,
        Deductible = new Deductible { AppliesToService = false },
    };
}
