using System.Diagnostics;
using System.Globalization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.Remittances;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Benchmarks;

/// <summary>
/// <c>--peer-compare ITERATIONS FILE...</c>: reads the given files ITERATIONS times the same way the node-x12 side of
/// tests/bench/x12-peer/run.sh does (warm-up first, then a timed loop), and prints one machine-readable line per mode.
/// </summary>
internal static class PeerComparison
{
    public static int Run(string[] args)
    {
        if (args.Length < 2 || !int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations <= 0)
        {
            Console.Error.WriteLine("usage: --peer-compare ITERATIONS FILE...");
            return 2;
        }

        if (args[1..].All(path => path.EndsWith(".835", StringComparison.OrdinalIgnoreCase)))
        {
            // #19: remittances, read into claims, lines and adjustments by the project's own 835 reader.
            var remittances = args[1..].Select(File.ReadAllText).ToArray();
            if (remittances.FirstOrDefault(text => !X835Reader.Read(text).IsReadable) is { } unreadable)
            {
                Console.Error.WriteLine("a file is not a readable 835");
                return 2;
            }

            Measure("parse", remittances, remittances.Sum(f => (long)f.Length), iterations, static text => X835Reader.Read(text).Transactions.Sum(t => t.Claims.Count));
            return 0;
        }

        var files = Corpus271.Load(args[1..]);
        var characters = files.Sum(f => (long)f.Length);

        Measure("parse", files, characters, iterations, static text => X271Reader.Read(text).Responses.Count);
        Measure("parse+normalise", files, characters, iterations, static text => CoverageNormalizer.FromX12All(text).Readings.Count);
        return 0;
    }

    private static void Measure(string mode, string[] files, long characters, int iterations, Func<string, int> read)
    {
        var sink = 0;
        // Warm up long enough for tiered compilation to finish even on a busy machine: 200 passes and 2 seconds.
        var warmUp = Stopwatch.StartNew();
        for (var pass = 0; pass < 200 || warmUp.Elapsed < TimeSpan.FromSeconds(2); pass++)
        {
            foreach (var file in files)
            {
                sink += read(file);
            }
        }

        using var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var stopwatch = Stopwatch.StartNew();
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            foreach (var file in files)
            {
                sink += read(file);
            }
        }

        stopwatch.Stop();
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var megabytes = characters * (double)iterations / 1_000_000d;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT coveragecheck {mode} files={files.Length} iterations={iterations} seconds={seconds:F3} cpu_seconds={cpuSeconds:F3} mb_per_s={megabytes / seconds:F2} files_per_s={files.Length * (double)iterations / seconds:F0} cpu_mb_per_s={megabytes / cpuSeconds:F2} check={sink}"));
    }
}
