using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// What plain columns (<c>last_error_code</c>, <c>last_error</c>) and reports may say about a payer's rejection: the
/// code and our own wording for it. The payer's free text is left out: payers echo names, dates of birth and member
/// IDs there, so it stays inside the encrypted result (and the verification's <c>errors</c>, shown to those who may
/// read the verification).
/// </summary>
internal static class PayerErrorText
{
    private const string UnknownCodeText = "A rejection code CoverageCheck does not know; see the payer's answer in the verification";

    /// <summary>An AAA code as plain columns may hold it: one to three letters or digits, else <c>unknown</c>.</summary>
    public static string Code(string? code) =>
        code is { Length: >= 1 and <= 3 } && code.All(char.IsAsciiLetterOrDigit) ? code : "unknown";

    /// <summary>Our description of the rejection's code (the X12 code list), never the payer's text.</summary>
    public static string Describe(AaaError error) => AaaCodes.Describe(Code(error.Code)) ?? UnknownCodeText;

    /// <summary>The <c>last_error</c> text: <c>AAA 75: Subscriber/Insured Not Found (Please Correct and Resubmit)</c>.</summary>
    public static string LastError(AaaError error) =>
        $"AAA {Code(error.Code)}: {Describe(error)}" + (AaaCodes.DescribeFollowUp(error.FollowUpActionCode) is { } action ? $" ({action})" : "");
}
