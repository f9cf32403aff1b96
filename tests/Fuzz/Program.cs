using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Clients.X12;
using CoverageCheck.Fuzz;
using CoverageCheck.Service.Features.Batches;

// A bounded random-input loop over the 271 reader/normaliser and the census reader:
//   CoverageCheck.Fuzz x12|census --seconds 60 [--seed N] [--timeout-ms 2000] [--findings DIR] SEED_FILE...
// Every input must come back with a result or a clear error within the watchdog timeout; an exception, a hang or an
// answer without an error message is a finding, saved to the findings folder. Exit code: 0 clean, 1 findings.
if (args.Length < 2 || args[0] is not ("x12" or "census"))
{
    Console.Error.WriteLine("usage: CoverageCheck.Fuzz x12|census --seconds N [--seed N] [--timeout-ms N] [--findings DIR] SEED_FILE...");
    return 2;
}

var target = args[0];
var seconds = 60;
var seed = Environment.TickCount;
var timeout = TimeSpan.FromSeconds(2);
var findingsDir = Path.Combine(Path.GetTempPath(), $"coveragecheck-fuzz-{target}");
var seedFiles = new List<string>();
for (var i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--timeout-ms": timeout = TimeSpan.FromMilliseconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--findings": findingsDir = args[++i]; break;
        default: seedFiles.Add(args[i]); break;
    }
}

if (seedFiles.Count == 0)
{
    Console.Error.WriteLine("give at least one seed file");
    return 2;
}

var seeds = seedFiles.Select(File.ReadAllBytes).ToArray();
var delimiters = target == "x12" ? "*~:^|\r\n>{}!"u8.ToArray() : ",\"\r\n;\t"u8.ToArray();
var mutator = new Mutator(new Random(seed), delimiters);
var random = new Random(seed ^ 0x5bd1e995);
var today = new DateOnly(2026, 11, 28);
var knownPayers = new HashSet<string>(["60054", "62308", "87726", "61101", "94134", "CMS", "610442", "00710"], StringComparer.Ordinal);
Func<byte[], CancellationToken, Task<string?>> check = target == "x12" ? CheckX12 : CheckCensusAsync;

// Each seed as it is first: the fuzzer's own sanity check (a real file must read without a finding).
var tried = 0;
var findings = 0;
var slowest = TimeSpan.Zero;
var byMutation = new Dictionary<string, int>(StringComparer.Ordinal);
var clock = Stopwatch.StartNew();
for (var index = 0; clock.Elapsed < TimeSpan.FromSeconds(seconds); index++)
{
    var (input, mutation) = index < seeds.Length ? (seeds[index], "seed")
        : random.Next(50) == 0 ? (RandomBytes(random, random.Next(0, 4096)), "pure-random")
        : mutator.Mutate(seeds[random.Next(seeds.Length)]);
    byMutation[mutation] = byMutation.GetValueOrDefault(mutation) + 1;
    tried++;

    using var watchdog = new CancellationTokenSource();
    var started = Stopwatch.GetTimestamp();
    var run = Task.Run(() => check(input, watchdog.Token));
    string? problem;
    if (!run.Wait(timeout))
    {
        await watchdog.CancelAsync();
        problem = $"hang: no answer within {timeout.TotalMilliseconds:0} ms";
    }
    else
    {
        problem = run.IsFaulted ? $"crash: {run.Exception!.InnerException}" : run.Result;
    }

    var elapsed = Stopwatch.GetElapsedTime(started);
    slowest = elapsed > slowest ? elapsed : slowest;
    if (problem is not null)
    {
        findings++;
        Directory.CreateDirectory(findingsDir);
        var file = Path.Combine(findingsDir, $"finding-{seed}-{index}.{(target == "x12" ? "271" : "csv")}");
        await File.WriteAllBytesAsync(file, input);
        Console.WriteLine($"FINDING {mutation} input {index} ({input.Length} bytes) saved to {file}: {Shorten(problem)}");
        if (problem.StartsWith("hang", StringComparison.Ordinal))
        {
            // A hung reader keeps its thread; stop here rather than pile up more.
            break;
        }
    }
}

Console.WriteLine($"mutations: {string.Join(", ", byMutation.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"RESULT target={target} seconds={clock.Elapsed.TotalSeconds:0.0} inputs={tried} per_second={tried / clock.Elapsed.TotalSeconds:0} findings={findings} slowest_ms={slowest.TotalMilliseconds:0.0} seed={seed}"));
return findings == 0 ? 0 : 1;

// The 271 path as the service runs it: the reader, then the normaliser over what it read.
static Task<string?> CheckX12(byte[] input, CancellationToken cancellationToken)
{
    var text = input.Length % 2 == 0 ? Encoding.UTF8.GetString(input) : Encoding.Latin1.GetString(input);
    var read = X271Reader.Read(text);
    if (read.Errors.Any(e => string.IsNullOrWhiteSpace(e.ToString())))
    {
        return Task.FromResult<string?>("an X12 error without a message");
    }

    var readings = CoverageNormalizer.FromX12All(text);
    if (readings.Primary is null)
    {
        return Task.FromResult<string?>("FromX12All returned no primary reading");
    }

    if (readings.Read.Responses.Count == 0 && readings.Primary.InputErrors.Count == 0)
    {
        return Task.FromResult<string?>("no payer answer and no error saying why");
    }

    return Task.FromResult<string?>(null);
}

async Task<string?> CheckCensusAsync(byte[] input, CancellationToken cancellationToken)
{
    var reader = new CensusReader(knownPayers.Contains);
    using var stream = new MemoryStream(input, writable: false);
    var lastLine = 0;
    await foreach (var line in reader.ReadAsync(stream, today, cancellationToken))
    {
        if (line.Line < 1 || line.Line < lastLine)
        {
            return $"line number {line.Line} after {lastLine}";
        }

        lastLine = line.Line;
        if (line is CensusRowError error && (string.IsNullOrWhiteSpace(error.Code) || string.IsNullOrWhiteSpace(error.Reason)))
        {
            return $"an error on line {error.Line} without a code or reason";
        }
    }

    return null;
}

static byte[] RandomBytes(Random random, int length)
{
    var bytes = new byte[length];
    random.NextBytes(bytes);
    return bytes;
}

static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
