using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;
using CoverageCheck.Estimator.Benchmarks;

// `-- --filter '*'` runs BenchmarkDotNet. `-- --cpu-time` measures process CPU time per estimate instead of wall
// time: on a shared machine where other work competes for the cores, CPU time stays meaningful when wall time is not.
if (args is ["--cpu-time", ..])
{
    CpuTime.Run(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(EstimatorBenchmarks).Assembly).Run(args);

internal static class CpuTime
{
    public static void Run(int iterations)
    {
        var benchmarks = new EstimatorBenchmarks();
        Measure("12 weeks x 5 days (60 sessions)", () => benchmarks.TwelveWeeksFiveDays(), iterations);
        Measure("Range 8-12 weeks x 3-5 days (main + low + high)", () => benchmarks.RangeEstimate(), iterations / 3);
    }

    private static void Measure(string name, Func<object> estimate, int iterations)
    {
        for (var i = 0; i < iterations / 10; i++)
        {
            estimate(); // warm up: tiered JIT reaches its optimised code
        }

        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var wall = Stopwatch.StartNew();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < iterations; i++)
            {
                estimate();
            }

            var allocated = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / iterations;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMicroseconds / iterations;
            best = Math.Min(best, cpu);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: CPU {cpu:F2} us/estimate, wall {wall.Elapsed.TotalMicroseconds / iterations:F2} us, {allocated} B allocated"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: best CPU {best:F2} us/estimate"));
    }
}
