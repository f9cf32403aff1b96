using System.Globalization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Features.Estimates;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>Plain words for payer rejections and estimate warnings, with what staff should do next.</summary>
internal static class Wording
{
    private static readonly CultureInfo s_us = CultureInfo.GetCultureInfo("en-US");

    public static string Money(decimal? amount) => amount is { } value ? value.ToString("C2", s_us) : "not reported";

    public static string Date(DateOnly? date) => date is { } value ? value.ToString("MMM d, yyyy", s_us) : "not reported";

    public static string Month(string yearMonth) =>
        DateOnly.TryParseExact(yearMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("MMM yyyy", s_us)
            : yearMonth;

    /// <summary>A headline and the next step for a payer rejection (AAA), by code and class.</summary>
    public static (string Headline, string NextStep) Rejection(AaaError error) => error.Code switch
    {
        "75" => ("The payer could not find this member.",
            "Check the spelling of the last name, the member ID (exactly as on the card, including any prefix) and the date of birth, then verify again."),
        "72" => ("The payer says the member ID is not valid.",
            "Copy the member ID again from the front of the insurance card (no spaces or group number) and verify again."),
        "73" => ("The payer says the name does not match the member ID.",
            "Use the name exactly as printed on the card (legal name, no nickname) and verify again."),
        "71" => ("The payer says the date of birth does not match.",
            "Confirm the date of birth with the patient (month and day are often swapped) and verify again."),
        "79" => ("The payer ID is not valid for this clearinghouse.",
            "Choose the payer from the list again; if it is listed, ask operations to check the payer table."),
        "42" or "80" or "04" => ("The payer's system is not answering right now.",
            "Nothing to do: we keep trying automatically and this page updates when the payer answers. Call the payer if it is urgent."),
        "41" or "50" or "51" or "52" or "T4" => ("The payer says our enrolment or authorisation with them is not set up.",
            "Call operations: our provider enrolment with this payer needs attention. Meanwhile verify by phone with the payer."),
        "43" => ("The payer does not recognise our provider number (NPI).",
            "Call operations to check our NPI registration with this payer."),
        "56" or "57" or "58" or "60" or "61" or "62" => ("The payer did not accept a date in the request.",
            "Check the date of birth and the date of service, then verify again."),
        _ => error.Class switch
        {
            AaaClass.Transient => ("The payer could not answer right now.", "We keep trying automatically; this page updates when it answers."),
            AaaClass.CorrectData => ("The payer could not match the details given.", "Check the patient's details against the insurance card and verify again."),
            AaaClass.Configuration => ("The payer reports a set-up problem on our side.", "Call operations; verify by phone with the payer meanwhile."),
            _ => ("The payer rejected the request.", "Verify by phone with the payer, and tell operations the code shown."),
        },
    };

    /// <summary>An estimate warning code in a sentence for staff (the wording lives in <see cref="EstimateWarningTexts"/>).</summary>
    /// <summary>What a payer contract matched on (#17), in words.</summary>
    public static string MatchedOn(string matchedOn) => matchedOn switch
    {
        "groupNumber" => "group number",
        "planName" => "plan name",
        "insuranceType" => "insurance type",
        _ => "payer",
    };

    public static string Warning(string code) => EstimateWarningTexts.For(code).Staff;

    /// <summary>A consent's state in words.</summary>
    public static string ConsentState(string state) => state switch
    {
        "active" => "Consent on file: the payer may be asked.",
        "revoked" => "Consent revoked: no payer is asked about this patient under it.",
        "expired" => "Consent expired: obtain a new consent before verifying again.",
        _ => state,
    };

    public static string ConsentMethod(string? method) => method switch
    {
        "verbal" => "verbally",
        "written" => "in writing",
        "electronic" => "electronically",
        _ => "how not recorded",
    };

    /// <summary>When a consent stops: "the end of May 1, 2027 (UTC)" for an expiry at midnight, else the moment.</summary>
    public static string Expiry(DateTimeOffset at) =>
        at.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? "the end of " + at.UtcDateTime.AddDays(-1).ToString("MMM d, yyyy", s_us) + " (UTC)"
            : Timestamp(at);

    /// <summary>A moment, to the minute, in UTC (the program's time zone comes with the admissions queue work).</summary>
    public static string Timestamp(DateTimeOffset? at) =>
        at is { } value ? value.UtcDateTime.ToString("MMM d, yyyy HH:mm", s_us) + " UTC" : "not recorded";

    /// <summary>Who the patient is on the plan, beside the subscriber's name: "Child of the subscriber".</summary>
    public static string Relationship(string? relationship) => relationship switch
    {
        "spouse" => "Spouse or partner of the subscriber",
        "child" => "Child of the subscriber",
        "other" => "Dependent of the subscriber",
        _ => "The subscriber",
    };

    /// <summary>
    /// How the payer was asked in the end, and whether it took a second try: "Asked about as a dependent under the
    /// subscriber, on the second try (the first way, as the subscriber, found no one)".
    /// </summary>
    public static string Inquiry(string sentAs, int attempts)
    {
        var how = sentAs == "dependent" ? "as a dependent under the subscriber" : "as the subscriber (by their own member ID)";
        if (attempts < 2)
        {
            return "Asked about " + how + ".";
        }

        var first = sentAs == "dependent" ? "as the subscriber" : "as a dependent under the subscriber";
        return $"Asked about {how}, on the second try: asked {first}, the payer found no one.";
    }

    /// <summary>The worker gave up on the payer (its last error says so in its own words).</summary>
    public static bool GaveUp(string? lastError) => lastError?.StartsWith("Gave up", StringComparison.Ordinal) == true;

    /// <summary>Why the worker stopped, in words, by its code (the code itself is for billing staff).</summary>
    public static string WorkerError(string? code) => code switch
    {
        "consent-missing" => "No consent is on file for this verification, so the payer was not asked.",
        "consent-revoked" => "The patient revoked the consent, so the payer is no longer asked.",
        "consent-expired" => "The consent expired, so the payer was not asked.",
        "timeout" => "The payer took too long to answer.",
        _ => "The payer's answer could not be used.",
    };

    // What marks a normaliser's note about the X12 it read (element names, service type codes, rows): for billing staff.
    private static readonly System.Text.RegularExpressions.Regex s_x12Terms = new(
        @"\b(EB\d{2}|row|rows|service type|coverage level|9999999\.99|filler)\b",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>The assumptions in plain words for everyone, and the notes on how the X12 was read, for billing staff.</summary>
    public static (IReadOnlyList<string> Plain, IReadOnlyList<string> Reading) SplitAssumptions(IReadOnlyList<string> assumptions) =>
        ([.. assumptions.Where(a => !s_x12Terms.IsMatch(a))], [.. assumptions.Where(a => s_x12Terms.IsMatch(a))]);

    /// <summary>A US phone number as people write it, "(555) 010-0100" (with its extension); anything else as given.</summary>
    public static string Phone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return "not reported";
        }

        var digits = new string([.. phone.TakeWhile(ch => ch is not ('x' or 'X')).Where(char.IsAsciiDigit)]);
        var extension = phone.IndexOfAny(['x', 'X']) is var at and >= 0 ? " ext. " + new string([.. phone[(at + 1)..].Where(char.IsAsciiDigit)]) : "";
        if (digits.Length == 11 && digits[0] == '1')
        {
            digits = digits[1..];
        }

        return digits.Length == 10 ? $"({digits[..3]}) {digits[3..6]}-{digits[6..]}{extension}" : phone.Trim();
    }
}
