using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using CoverageCheck.Clients.Benchmarks;

if (args.Length > 0 && args[0] == "--peer-compare")
{
    return PeerComparison.Run(args[1..]);
}

var config = DefaultConfig.Instance
    .AddColumn(ThroughputColumn.MegabytesPerSecond, ThroughputColumn.FilesPerSecond)
    .WithOptions(ConfigOptions.JoinSummary);
BenchmarkSwitcher.FromAssembly(typeof(X271Benchmarks).Assembly).Run(args, config);
return 0;
