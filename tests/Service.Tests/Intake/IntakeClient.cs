using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Features.Intake;

namespace CoverageCheck.Service.Tests.Intake;

/// <summary>What the website's page does: fetch the consent and token, solve the proof-of-work, send the request.</summary>
internal static class IntakeClient
{
    public const string AllowedOrigin = "https://www.example-iop.org";

    /// <summary>Settings for an intake host: the website's origin allowed; more as given.</summary>
    public static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["Website:AllowedOrigins:0"] = AllowedOrigin };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<JsonObject> ConsentAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/v1/intake/consent");
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The form's answer to a consent: its token and a solution to its challenge.</summary>
    public static object Form(JsonObject consent)
    {
        var challenge = consent["challenge"];
        var solution = challenge is null ? null : FormTokens.Solve((string)challenge["prefix"]!, (int)challenge["difficulty"]!);
        return new { token = (string?)consent["formToken"], solution };
    }

    public static object Request(
        JsonObject consent, string first = "AVA", string last = "PPOSAMPLE", string dob = "1985-04-12", string? payerId = "60054",
        string? payerName = null, string memberId = "W100000001", string website = "", object? form = null) => new
        {
            patient = new { firstName = first, lastName = last, dateOfBirth = dob },
            insurance = new { payerId, payerName, memberId },
            contact = new { phone = "555-201-3344", email = "ava@example.org", bestTime = "weekday mornings", mayLeaveMessage = true },
            consent = new { version = (string?)consent["version"], signature = $"{first} {last}" },
            form = form ?? Form(consent),
            website,
        };
}
