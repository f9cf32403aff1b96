using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>The website intake's contract, source-generated (web defaults); also the stored payload.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(IntakeConsentResponse))]
[JsonSerializable(typeof(IntakeRequest))]
[JsonSerializable(typeof(IntakeAcknowledgement))]
[JsonSerializable(typeof(IntakePayload))]
[JsonSerializable(typeof(IntakeRequestView))]
[JsonSerializable(typeof(IntakeRequestList))]
[JsonSerializable(typeof(IntakeCallbackUpdate))]
[JsonSerializable(typeof(FormTokenContent))]
internal sealed partial class IntakeJsonContext : JsonSerializerContext;
