using System.Text.Json;
using System.Text.Json.Serialization;
using CoverageCheck.Clients.Eligibility;
using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Verifications;

/// <summary>
/// The verifications feature's contract, source-generated (camelCase, web defaults): the request it reads, the
/// answers it writes (registered with the framework's JSON options, so OpenAPI shows these records), and what it
/// stores, encrypted: the payload asked and the result found. Stored JSON is read back into the same records.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    AllowDuplicateProperties = false,
    Converters = [typeof(KebabEnumConverter<AaaClass>)])]
[JsonSerializable(typeof(VerificationRequest))]
[JsonSerializable(typeof(VerificationResponse))]
[JsonSerializable(typeof(VerificationListResponse))]
[JsonSerializable(typeof(VerificationPayload))]
[JsonSerializable(typeof(VerificationResult))]
[JsonSerializable(typeof(Completions.CompletionRequest))]
[JsonSerializable(typeof(Completions.Completion))]
internal sealed partial class VerificationsJsonContext : JsonSerializerContext;

/// <summary>The stored, encrypted forms of a verification's payload and result.</summary>
internal static class VerificationJson
{
    public static string Write(VerificationPayload payload) => JsonSerializer.Serialize(payload, VerificationsJsonContext.Default.VerificationPayload);

    public static VerificationPayload ReadPayload(string json) =>
        JsonSerializer.Deserialize(json, VerificationsJsonContext.Default.VerificationPayload)
        ?? throw new InvalidOperationException("A stored verification payload is empty.");

    public static string Write(VerificationResult result) => JsonSerializer.Serialize(result, VerificationsJsonContext.Default.VerificationResult);

    public static string? WriteOrNull(VerificationResult? result) => result is null ? null : Write(result);

    public static VerificationResult? ReadResult(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize(json, VerificationsJsonContext.Default.VerificationResult);
}
