namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// Per-call state carried on <see cref="HttpRequestMessage.Options"/> through the HTTP pipeline: the payer the
/// circuit breaker is keyed by, the inquiry's control number (which member's inquiry it is, without naming the member)
/// and how many attempts reached the wire. Holds no protected health information.
/// </summary>
public sealed class ClearinghouseCall(string payerId, string? controlNumber = null)
{
    /// <summary>The <see cref="HttpRequestMessage.Options"/> key this call travels under.</summary>
    public const string OptionKey = "CoverageCheck.Clearinghouse.Call";

    internal static readonly HttpRequestOptionsKey<ClearinghouseCall> Key = new(OptionKey);

    private int _attempts;

    /// <summary>The payer's trading-partner ID (<c>tradingPartnerServiceId</c>).</summary>
    public string PayerId { get; } = payerId;

    /// <summary>The inquiry's control number: the breaker tells one member's stalled inquiry from many by it.</summary>
    public string? ControlNumber { get; } = controlNumber;

    /// <summary>Attempts sent so far (the first try included).</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    internal void CountAttempt() => Interlocked.Increment(ref _attempts);

    /// <summary>Finds the call a request belongs to, or null for a request sent outside <see cref="IClearinghouseClient"/>.</summary>
    public static ClearinghouseCall? Of(HttpRequestMessage request) =>
        request.Options.TryGetValue(Key, out var call) ? call : null;
}
