using Microsoft.Extensions.Compliance.Classification;

namespace CoverageCheck.Service.Security;

/// <summary>
/// Data classes of this service. Everything classified <see cref="Phi"/> is erased by the logging redactor, so a
/// <c>[LogProperties]</c> object or a <c>[Phi]</c> log parameter never reaches a log sink.
/// </summary>
internal static class PhiTaxonomy
{
    public const string TaxonomyName = "CoverageCheck";

    /// <summary>Protected health information: names, dates of birth, member IDs, payer answers, request payloads.</summary>
    public static DataClassification Phi { get; } = new(TaxonomyName, nameof(Phi));

    /// <summary>Secrets that are not PHI: API keys, tokens, connection strings.</summary>
    public static DataClassification Secret { get; } = new(TaxonomyName, nameof(Secret));
}

/// <summary>Marks a property or log parameter as protected health information.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false)]
internal sealed class PhiAttribute : DataClassificationAttribute
{
    public PhiAttribute()
        : base(PhiTaxonomy.Phi)
    {
    }
}

/// <summary>Marks a property or log parameter as a secret.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter | AttributeTargets.ReturnValue, AllowMultiple = false)]
internal sealed class SecretAttribute : DataClassificationAttribute
{
    public SecretAttribute()
        : base(PhiTaxonomy.Secret)
    {
    }
}
