using System.ComponentModel.DataAnnotations;

namespace CoverageCheck.Sandbox;

/// <summary>
/// The sandbox clearinghouse's knobs (<c>Sandbox:*</c>). Every one can also be changed at run time through
/// <c>PUT /sandbox/faults</c>. See <c>docs/sandbox.md</c>.
/// </summary>
public sealed class SandboxOptions
{
    public const string SectionName = "Sandbox";

    /// <summary>Loopback port to listen on; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>Latency added to every eligibility answer, as a payer's round trip would.</summary>
    [Range(0, 600_000)]
    public int LatencyMs { get; set; } = 100;

    /// <summary>Latency of the "slow answers" member (longer than the 15 s real-time budget, shorter than the client's attempt timeout).</summary>
    [Range(0, 600_000)]
    public int SlowLatencyMs { get; set; } = 20_000;

    /// <summary>How long an injected timeout hangs before answering 504 (longer than Stedi's ~60 s payer timeout).</summary>
    [Range(0, 600_000)]
    public int TimeoutDelayMs { get; set; } = 90_000;

    /// <summary>Seed for fault injection; the same seed and the same request order give the same faults. Null: random.</summary>
    public int? Seed { get; set; }

    /// <summary>Fractions of eligibility requests answered with a fault instead of the member's answer.</summary>
    [Required]
    public SandboxFaults Faults { get; set; } = new();
}

/// <summary>Fault injection rates, as fractions of requests (0 to 1, summing to at most 1).</summary>
public sealed record SandboxFaults
{
    /// <summary>Answer 503 Service Unavailable (payer connectivity, as Stedi reports it).</summary>
    [Range(0.0, 1.0)]
    public double Http503 { get; init; }

    /// <summary>Answer 429 Too Many Requests (no Retry-After, as Stedi).</summary>
    [Range(0.0, 1.0)]
    public double Http429 { get; init; }

    /// <summary>Hang for <see cref="SandboxOptions.TimeoutDelayMs"/>, then answer 504.</summary>
    [Range(0.0, 1.0)]
    public double Timeout { get; init; }

    /// <summary>Answer 200 with AAA 42 "Unable to Respond at Current Time" from the payer.</summary>
    [Range(0.0, 1.0)]
    public double Aaa42 { get; init; }

    public double Total => Http503 + Http429 + Timeout + Aaa42;

    /// <summary>One sentence per problem, or none.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[] { ("Http503", Http503), ("Http429", Http429), ("Timeout", Timeout), ("Aaa42", Aaa42) })
        {
            if (value is < 0 or > 1 || double.IsNaN(value))
            {
                yield return $"Sandbox:Faults:{name} must be a fraction between 0 and 1.";
            }
        }

        if (Total > 1)
        {
            yield return "Sandbox:Faults rates must add up to at most 1.";
        }
    }
}
