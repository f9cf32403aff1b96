using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// How the payer was asked about the patient (http-api.md "Dependents", <c>inquiry</c>): <see cref="SentAs"/> the
/// arrangement that gave the answer kept, <see cref="Attempts"/> how many arrangements were tried (1 or 2).
/// </summary>
internal sealed record InquiryInfo(string SentAs, int Attempts);

/// <summary>
/// The clearinghouses' rule for a dependent: one with a member ID of their own is asked about as the subscriber; one
/// without goes in <c>dependents[]</c> under the subscriber. When staff do not say whose ID the card's is, the
/// subscriber's is assumed (the common family card). A payer that finds no one (AAA 75, 73, 71) is asked the other way once.
/// </summary>
internal static class InquiryArrangements
{
    public const string Subscriber = "subscriber";
    public const string Dependent = "dependent";

    public static string First(VerificationPayload payload) =>
        payload.IsDependent && payload.Insurance.MemberIdBelongsTo != MemberIdOwners.Patient ? Dependent : Subscriber;

    public static string Other(string arrangement) => arrangement == Dependent ? Subscriber : Dependent;

    /// <summary>The payer did not find the person as asked: not found (75), last name (73) or date of birth (71) not matching.</summary>
    public static bool NotFound(EligibilityReading reading) =>
        reading.Coverage is null && reading.Errors.Any(e => e.Code is "75" or "73" or "71");
}
