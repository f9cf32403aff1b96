using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure.Json;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Benchmarks;

/// <summary>
/// The estimates endpoint's contract work for the website's sample request (with its range), without the web server:
/// reading the body through the feature's context, validating and pricing it, and writing the answer, once through the
/// app's resolver chain (what <c>TypedResults.Ok</c> does, and what the endpoint uses) and once with the context's own
/// metadata into a buffer (the way to a single write with a Content-Length, measured here and not taken: it was slower).
/// Issue #13.
/// </summary>
[MemoryDiagnoser]
public class EstimateContractBenchmarks
{
    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private byte[] _body = [];
    private EstimatePricer _pricer = null!;
    private EstimateResponse _answer = null!;
    private JsonSerializerOptions _chain = null!;

    [GlobalSetup]
    public void Setup()
    {
        var root = Directory.GetCurrentDirectory();
        while (!File.Exists(Path.Combine(root, "CoverageCheck.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run from inside the repository.");
        }

        _body = File.ReadAllBytes(Path.Combine(root, "samples", "estimates", "iop-12-weeks-ppo.json"));
        _pricer = new EstimatePricer(new FixedMonitor<RateCardOptions>(new RateCardOptions { ChargeRangeLow = 250m, ChargeRangeHigh = 650m }));
        _answer = PriceOnce();

        // As ConfigureHttpJsonOptions leaves the app's options: every feature's context in the chain.
        _chain = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        _chain.TypeInfoResolverChain.Insert(0, VerificationsJsonContext.Default);
        _chain.TypeInfoResolverChain.Insert(0, EstimatesJsonContext.Default);
    }

    [Benchmark(Description = "read + validate + price")]
    public object Price() => PriceOnce();

    private EstimateResponse PriceOnce()
    {
        var body = JsonRequestBody.Read(_body, EstimatesJsonContext.Default.EstimateRequestDto, "estimate request");
        var rules = new FieldErrors();
        var input = EstimateRequestValidation.Validate(body.Value!, rules);
        return _pricer.Estimate(input, includeSessions: false).Response!;
    }

    [Benchmark(Baseline = true, Description = "write: through the app's resolver chain, streamed")]
    public async Task<long> WriteThroughChain()
    {
        _buffer.ResetWrittenCount();
        await using var stream = new BufferStream(_buffer);
        await JsonSerializer.SerializeAsync(stream, _answer, _chain.GetTypeInfo(typeof(EstimateResponse)));
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "write: the context's own metadata, buffered")]
    public long WriteWithContext()
    {
        _buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_buffer);
        JsonSerializer.Serialize(writer, _answer, EstimatesJsonContext.Default.EstimateResponse);
        writer.Flush();
        return _buffer.WrittenCount;
    }

    private sealed class FixedMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private sealed class BufferStream(ArrayBufferWriter<byte> buffer) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => buffer.WrittenCount;
        public override long Position { get => buffer.WrittenCount; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] bufferArray, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] bufferArray, int offset, int count) => buffer.Write(bufferArray.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> span) => buffer.Write(span);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> memory, CancellationToken cancellationToken = default)
        {
            buffer.Write(memory.Span);
            return ValueTask.CompletedTask;
        }
    }
}
