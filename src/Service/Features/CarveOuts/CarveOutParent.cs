namespace CoverageCheck.Service.Features.CarveOuts;

/// <summary>
/// On a linked verification to a behavioural-health administrator: the verification it was made for, and that
/// verification's payer and member ID. The consent the linked verification carries is the parent's, given for the
/// parent's payer; it covers the call to the administrator that payer names (docs/verifications.md, "Carve-outs").
/// Stored inside the encrypted payload.
/// </summary>
internal sealed record CarveOutParent(Guid VerificationId, string PayerId, string MemberId)
{
    /// <summary>Never print the member.</summary>
    public override string ToString() => $"CarveOutParent {{ VerificationId = {VerificationId}, PayerId = {PayerId} }}";
}
