using BenchmarkDotNet.Running;
using CoverageCheck.Service.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(EstimateContractBenchmarks).Assembly).Run(args);
