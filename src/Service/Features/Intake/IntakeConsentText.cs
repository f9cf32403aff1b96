using CoverageCheck.Service.Features.GoodFaithEstimates;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>
/// The consent the website form shows (42 CFR 2.31): who discloses, to whom, what, why, until when, how to revoke,
/// and the signature. <see cref="Version"/> is stored with each consent record; change it whenever the wording changes.
/// </summary>
internal sealed class IntakeConsentText(IOptionsMonitor<ProviderOptions> provider)
{
    public const string Version = "web-2026-12-1";

    /// <summary>How long a consent given on the website lasts.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(365);

    public IntakeConsentElements Elements
    {
        get
        {
            var program = provider.CurrentValue;
            var phone = string.IsNullOrWhiteSpace(program.Phone) ? "" : $" or call {program.Phone}";
            return new IntakeConsentElements(
                Discloser: $"{program.Name}, {program.AddressLine1}, {program.City}, {program.State} {program.PostalCode} (the program).",
                Recipient: "The health insurer you name below, reached through the program's electronic clearinghouse, which passes the question to the insurer and its answer back to the program.",
                Information: "That you are seeking treatment for a substance use disorder; your name and date of birth; your insurer, member ID and group number; and, if you are not the plan holder, the plan holder's name and date of birth.",
                Purpose: "To check your insurance benefits for treatment (an eligibility and benefits inquiry) so that our admissions team can tell you what your plan covers.",
                Expiry: "This consent ends one year after you sign it, or sooner if you revoke it.",
                Revocation: $"You may revoke this consent at any time, in writing or by telling our admissions team{phone}; revoking stops any further inquiry but cannot undo one already made.",
                Signature: "Type your full name as your signature. The date and time you send the form are recorded with it.");
        }
    }

    public string Text
    {
        get
        {
            var e = Elements;
            return string.Join("\n\n",
                "Consent to disclose substance use disorder information (42 CFR Part 2)",
                $"Who discloses: {e.Discloser}",
                $"To whom: {e.Recipient}",
                $"What: {e.Information}",
                $"Why: {e.Purpose}",
                $"Until when: {e.Expiry}",
                $"Your right to revoke: {e.Revocation}",
                "Information disclosed under this consent is protected by federal law (42 CFR Part 2). Treatment does not depend on your signing this consent.",
                $"Signature: {e.Signature}");
        }
    }
}
