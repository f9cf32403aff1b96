using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// The clearinghouse connection (<c>Clearinghouse:*</c>): where to send inquiries, how to authenticate, and the
/// resilience settings of its one HTTP pipeline. Why each default is what it is: <c>docs/clearinghouse.md</c>.
/// </summary>
public sealed class ClearinghouseOptions
{
    public const string SectionName = "Clearinghouse";

    /// <summary>
    /// Base address of a v3 eligibility API; the client posts to <c>{BaseUrl}/medicalnetwork/eligibility/v3</c>.
    /// Null or empty: the built-in sandbox clearinghouse answers (when the host provides one).
    /// </summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>Sent as <c>Authorization: &lt;key&gt;</c> (Stedi style) when set; no header otherwise. Not with <see cref="OAuth"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>OAuth 2.0 client credentials (Optum / Change Healthcare, Availity): a bearer token per request. Not with <see cref="ApiKey"/>.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClearinghouseOAuthOptions OAuth { get; set; } = new();

    /// <summary>The provider block of every inquiry.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClearinghouseProviderOptions Provider { get; set; } = new();

    /// <summary>In-flight requests to the clearinghouse at most, across all payers (Stedi allows 50 per account, shared with claim status).</summary>
    [Range(1, 1000, ErrorMessage = "Clearinghouse:MaxConcurrency must be between 1 and 1000.")]
    public int MaxConcurrency { get; set; } = 40;

    /// <summary>Requests that may wait for a concurrency permit; one more is refused at once rather than queued.</summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 1000;

    /// <summary>How long one attempt may take, body included. Payers answer within 20 s mostly (CAQH CORE 156); Stedi gives up on a payer after about 60 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(65);

    /// <summary>How long one inquiry may take, queueing, retries and back-off included.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:30:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>Retries after the first attempt, for transport faults only (408, 429, 500, 502, 503, 504, connection failures, attempt timeouts).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First back-off delay; it doubles per retry, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits for inline. A longer one is handed back to the caller as
    /// <see cref="ClearinghouseUnavailableException.RetryAfter"/>, for its queue to honour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest answer the client reads, in bytes (default 1 MiB; a 271 for one member is a few KB to a few hundred
    /// KB). A larger one is neither read nor stored: the inquiry fails as <see cref="ClearinghouseFailureReason.AnswerTooLarge"/>.
    /// </summary>
    [Range(4096, 67_108_864, ErrorMessage = "Clearinghouse:MaxAnswerBytes must be between 4096 and 67108864 (64 MiB).")]
    public int MaxAnswerBytes { get; set; } = 1_048_576;

    /// <summary>The per-payer circuit breaker.</summary>
    [Required]
    [ValidateObjectMembers]
    public ClearinghouseBreakerOptions CircuitBreaker { get; set; } = new();
}

/// <summary>The provider asking: <c>Clearinghouse:Provider:OrganizationName</c> and <c>:Npi</c>.</summary>
public sealed class ClearinghouseProviderOptions
{
    [Required(ErrorMessage = "Clearinghouse:Provider:OrganizationName is required: the program's legal name, sent with every inquiry.")]
    [StringLength(60, MinimumLength = 1, ErrorMessage = "Clearinghouse:Provider:OrganizationName must be 1 to 60 characters.")]
    public string OrganizationName { get; set; } = "";

    [Required(ErrorMessage = "Clearinghouse:Provider:Npi is required: the program's 10-digit NPI, sent with every inquiry.")]
    [RegularExpression("^[0-9]{10}$", ErrorMessage = "Clearinghouse:Provider:Npi must be a 10-digit NPI.")]
    public string Npi { get; set; } = "";

    public InquiringProvider ToInquiringProvider() => new(OrganizationName, Npi);
}

/// <summary>
/// OAuth 2.0 client credentials (<c>Clearinghouse:OAuth:*</c>): on when <see cref="TokenUrl"/>, <see cref="ClientId"/>
/// and <see cref="ClientSecret"/> are all set. Never log the secret or a token.
/// </summary>
public sealed class ClearinghouseOAuthOptions
{
    /// <summary>The token endpoint: absolute https (http on loopback only).</summary>
    public Uri? TokenUrl { get; set; }

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Sent as <c>scope</c> when set (space-separated).</summary>
    public string? Scope { get; set; }

    /// <summary>How the client authenticates to the token endpoint.</summary>
    public ClearinghouseClientCredentialStyle ClientCredentialStyle { get; set; } = ClearinghouseClientCredentialStyle.BasicAuthentication;

    /// <summary>How long one token request may take before the inquiry fails as a transient timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>True when any of the OAuth settings is given (complete or not: the validator says which are missing).</summary>
    public bool IsAnySet =>
        TokenUrl is not null || !string.IsNullOrWhiteSpace(ClientId) || !string.IsNullOrWhiteSpace(ClientSecret) || !string.IsNullOrWhiteSpace(Scope);

    /// <summary>True when bearer tokens are used.</summary>
    public bool IsConfigured =>
        ClearinghouseAddress.IsSet(TokenUrl) && !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);
}

/// <summary>Where the client credentials go in the token request.</summary>
public enum ClearinghouseClientCredentialStyle
{
    /// <summary><c>Authorization: Basic base64(urlencode(id):urlencode(secret))</c> (RFC 6749 2.3.1; the default).</summary>
    BasicAuthentication,

    /// <summary><c>client_id</c> and <c>client_secret</c> form fields in the body (Availity).</summary>
    PostBody,
}

/// <summary>The circuit breaker kept for each payer (<c>Clearinghouse:CircuitBreaker:*</c>).</summary>
public sealed class ClearinghouseBreakerOptions
{
    /// <summary>Share of failed attempts in the sampling window that opens the breaker.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Attempts in the window before the ratio counts: one bad answer never opens it.</summary>
    [Range(2, 10_000)]
    public int MinimumThroughput { get; set; } = 10;

    /// <summary>The sliding window failures are counted over.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long an open breaker refuses calls to that payer before letting one probe through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Distinct inquiries whose attempts ran out of time (the client's own attempt timeout) within
    /// <see cref="SamplingDuration"/> before such timeouts count against the payer. One member's stalled inquiry,
    /// however often retried, is one: it says nothing about the payer's other members.
    /// </summary>
    [Range(1, 1000)]
    public int SlowInquiriesToCount { get; set; } = 3;
}

/// <summary>Data-annotation rules, generated at compile time (no reflection at start-up).</summary>
[OptionsValidator]
internal sealed partial class ClearinghouseOptionsValidator : IValidateOptions<ClearinghouseOptions>;
