namespace CoverageCheck.Clients;

/// <summary>
/// The patient's relationship to the subscriber (http-api.md "Dependents": <c>patient.relationshipToSubscriber</c>) and
/// the X12 individual relationship code a clearinghouse expects for a dependent (JSON
/// <c>dependents[].individualRelationshipCode</c>; the 271's INS02): 01 spouse, 19 child, 34 other adult. The subscriber
/// themself is 18 in a 271, and is never sent as a dependent.
/// </summary>
public static class Relationships
{
    /// <summary>The patient is the subscriber (the default).</summary>
    public const string Self = "self";

    public const string Spouse = "spouse";

    public const string Child = "child";

    /// <summary>Another adult on the subscriber's plan (a domestic partner, an adult dependant).</summary>
    public const string Other = "other";

    /// <summary>The contract's values, in the order a form lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Self, Spouse, Child, Other];

    /// <summary>True for one of the contract's values (exactly, lower case).</summary>
    public static bool IsKnown(string? relationship) => relationship is Self or Spouse or Child or Other;

    /// <summary>The contract's value for what a caller wrote (any case, surrounding blanks); null when it is none of them.</summary>
    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "self" or "subscriber" => Self,
        "spouse" => Spouse,
        "child" => Child,
        "other" or "other adult" => Other,
        _ => null,
    };

    /// <summary>True when the patient is someone other than the subscriber (null, from a verification stored before dependents, is the subscriber).</summary>
    public static bool IsDependent(string? relationship) => relationship is not null && relationship != Self;

    /// <summary>The X12 individual relationship code of a dependent: <c>01</c> spouse, <c>19</c> child, <c>34</c> other adult; <c>18</c> self.</summary>
    /// <exception cref="ArgumentException">Not one of the contract's values.</exception>
    public static string ToX12Code(string relationship) => relationship switch
    {
        Self => "18",
        Spouse => "01",
        Child => "19",
        Other => "34",
        _ => throw new ArgumentException("Not a relationship to the subscriber: self, spouse, child or other.", nameof(relationship)),
    };

    /// <summary>The contract's value for an X12 individual relationship code (a 271's INS02); null for a code outside the four.</summary>
    public static string? FromX12Code(string? code) => code?.Trim() switch
    {
        "18" => Self,
        "01" => Spouse,
        "19" => Child,
        "34" => Other,
        _ => null,
    };
}
