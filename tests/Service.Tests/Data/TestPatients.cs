using System.Text.Json;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Tests.Data;

/// <summary>Synthetic patients whose identifiers are distinctive enough to search for in files and logs.</summary>
internal static class TestPatients
{
    public const string Actor = "test-admissions";

    public static AccessContext Admissions { get; } = new(Actor, "admissions", "verify coverage");

    public sealed record Patient(string FirstName, string LastName, string DateOfBirth, string PayerId, string MemberId)
    {
        public IEnumerable<string> Identifiers => [FirstName, LastName, DateOfBirth, MemberId];

        public string PayloadJson => JsonSerializer.Serialize(new
        {
            patient = new { firstName = FirstName, lastName = LastName, dateOfBirth = DateOfBirth },
            insurance = new { payerId = PayerId, memberId = MemberId, groupNumber = (string?)null },
            dateOfService = "2026-12-01",
            consent = new { obtained = true, method = "verbal" },
        });

        public NewVerification ToNew(string? idempotencyKey = null, DateOnly? programEnd = null) => new()
        {
            PayerId = PayerId,
            MemberId = MemberId,
            PayloadJson = PayloadJson,
            IdempotencyKey = idempotencyKey,
            ProgramEnd = programEnd,
        };
    }

    public static Patient Jane { get; } = new("ZELPHINIA", "QUORNBATTER", "1985-04-12", "60054", "W98X76Y54Z");

    public static Patient Numbered(int n) =>
        new($"GIVENNAME{n:D4}", $"FAMILYNAME{n:D4}", $"19{60 + (n % 40):D2}-0{1 + (n % 9)}-1{n % 10}", n % 2 == 0 ? "60054" : "87726", $"MBR{n:D6}XQ");
}
