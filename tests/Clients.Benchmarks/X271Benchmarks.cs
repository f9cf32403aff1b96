using BenchmarkDotNet.Attributes;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Benchmarks;

/// <summary>Reading every 271 of the corpus once per operation: segments only, the full 271 model, and 271 plus normalisation.</summary>
[MemoryDiagnoser]
public class X271Benchmarks
{
    private string[] _files = [];

    // The throughput columns are computed in the host process, not in the benchmark process that ran Setup, so the
    // corpus is measured here from the files themselves.
    private static readonly Lazy<(long Characters, int Files)> CorpusSize = new(() =>
    {
        var texts = Corpus271.DefaultPaths().Select(File.ReadAllText).ToArray();
        return (texts.Sum(t => (long)t.Length), texts.Length);
    });

    /// <summary>Characters in one pass over the corpus (ASCII: characters are bytes), for the MB/s column.</summary>
    public static long CorpusCharacters => CorpusSize.Value.Characters;

    /// <summary>Files in one pass over the corpus, for the files/s column.</summary>
    public static int CorpusFiles => CorpusSize.Value.Files;

    [GlobalSetup]
    public void Setup()
    {
        _files = Corpus271.Load(Corpus271.DefaultPaths());
    }

    [Benchmark(Description = "segments only (X12SegmentReader)")]
    public int ReadSegments()
    {
        var elements = 0;
        foreach (var file in _files)
        {
            var reader = new X12SegmentReader(file);
            while (reader.Read(out var segment))
            {
                elements += segment.ElementCount;
            }
        }

        return elements;
    }

    [Benchmark(Baseline = true, Description = "271 parse (X271Reader.Read)")]
    public int Parse271()
    {
        var responses = 0;
        foreach (var file in _files)
        {
            responses += X271Reader.Read(file).Responses.Count;
        }

        return responses;
    }

    [Benchmark(Description = "271 parse + normalise (CoverageNormalizer.FromX12All)")]
    public int ParseAndNormalize()
    {
        var readings = 0;
        foreach (var file in _files)
        {
            readings += CoverageNormalizer.FromX12All(file).Readings.Count;
        }

        return readings;
    }
}
