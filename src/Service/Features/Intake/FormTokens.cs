using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>What a form token carries, signed and encrypted by Data Protection.</summary>
internal sealed record FormTokenContent(string Id, DateTimeOffset IssuedAt, int Difficulty);

/// <summary>Why a form token was refused (the visitor reloads the page); never about the person.</summary>
internal enum FormTokenVerdict
{
    Accepted,
    Unreadable,
    TooOld,
    TooFast,
    WrongSolution,
}

/// <summary>
/// The form's one-time token: issued with the consent text, signed with ASP.NET Data Protection, and returned with the
/// request. Its age comes from <see cref="TimeProvider"/>; "used once" is the unique <c>form_token_id</c> of the
/// stored request (<see cref="IntakeStore"/>). The proof-of-work makes each request cost a browser a moment of CPU.
/// </summary>
internal sealed class FormTokens(IDataProtectionProvider dataProtection, TimeProvider timeProvider, IOptionsMonitor<IntakeOptions> options)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("CoverageCheck.Intake.FormToken.v1");

    public (string Token, IntakeChallenge? Challenge) Issue()
    {
        var difficulty = options.CurrentValue.Difficulty;
        var content = new FormTokenContent(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), timeProvider.GetUtcNow(), difficulty);
        var token = _protector.Protect(JsonSerializer.Serialize(content, IntakeJsonContext.Default.FormTokenContent));
        return (token, difficulty > 0 ? new IntakeChallenge(content.Id, difficulty) : null);
    }

    /// <summary>Checks a returned token: readable, not older than the lifetime, not back too fast, the work done.</summary>
    public (FormTokenVerdict Verdict, string? Id) Check(string token, string? solution)
    {
        FormTokenContent? content;
        try
        {
            content = JsonSerializer.Deserialize(_protector.Unprotect(token), IntakeJsonContext.Default.FormTokenContent);
        }
        catch (Exception exception) when (exception is CryptographicException or JsonException or FormatException)
        {
            return (FormTokenVerdict.Unreadable, null);
        }

        if (content is null)
        {
            return (FormTokenVerdict.Unreadable, null);
        }

        var settings = options.CurrentValue;
        var age = timeProvider.GetUtcNow() - content.IssuedAt;
        if (age > settings.FormTokenLifetime)
        {
            return (FormTokenVerdict.TooOld, content.Id);
        }

        if (age < settings.MinimumFillTime)
        {
            return (FormTokenVerdict.TooFast, content.Id);
        }

        if (content.Difficulty > 0 && !Solves(content.Id, solution, content.Difficulty))
        {
            return (FormTokenVerdict.WrongSolution, content.Id);
        }

        return (FormTokenVerdict.Accepted, content.Id);
    }

    /// <summary>Whether hex SHA-256(<paramref name="prefix"/> + <paramref name="solution"/>) starts with <paramref name="difficulty"/> zeros.</summary>
    public static bool Solves(string prefix, string? solution, int difficulty)
    {
        if (solution is null || solution.Length is 0 or > 20 || !ulong.TryParse(solution, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var hex = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prefix + solution)));
        return hex.AsSpan(0, difficulty).IndexOfAnyExcept('0') < 0;
    }

    /// <summary>Finds a solution (for tests and tools; the browser does the same in JavaScript).</summary>
    public static string Solve(string prefix, int difficulty)
    {
        for (ulong n = 0; ; n++)
        {
            var candidate = n.ToString(CultureInfo.InvariantCulture);
            if (Solves(prefix, candidate, difficulty))
            {
                return candidate;
            }
        }
    }
}
