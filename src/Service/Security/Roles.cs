namespace CoverageCheck.Service.Security;

/// <summary>The roles an API key or a user can hold. <see cref="Admin"/> may do everything.</summary>
internal static class Roles
{
    public const string Admissions = "admissions";
    public const string Finance = "finance";
    public const string Website = "website";
    public const string Admin = "admin";

    public static IReadOnlySet<string> All { get; } =
        new HashSet<string>(StringComparer.Ordinal) { Admissions, Finance, Website, Admin };
}

/// <summary>The authorization policies the features put on their route groups (see "Who may do what").</summary>
internal static class Policies
{
    /// <summary>Anyone, including anonymous callers; a presented but invalid credential is still refused (401).</summary>
    public const string Estimates = "estimates";

    /// <summary>Create verifications: admissions, admin.</summary>
    public const string VerificationsWrite = "verifications-write";

    /// <summary>Read verifications: admissions, finance, admin.</summary>
    public const string VerificationsRead = "verifications-read";

    /// <summary>Read a raw 271: admissions, finance, admin.</summary>
    public const string Eligibility271 = "eligibility-271";

    /// <summary>Batches and their reports: finance, admin.</summary>
    public const string Batches = "batches";

    /// <summary>Payer contracts (network status and allowed amounts per plan): finance, admin.</summary>
    public const string Contracts = "contracts";

    /// <summary>Remittances (835) and the estimate-accuracy report: finance, admin.</summary>
    public const string Remittances = "remittances";
}
