using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(CoverageCheck.Estimator.Benchmarks.EstimatorBenchmarks).Assembly).Run(args);
