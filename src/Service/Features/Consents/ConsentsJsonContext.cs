using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Consents;

/// <summary>The consents feature's contract, source-generated (camelCase, web defaults, duplicate keys refused).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ConsentResponse))]
[JsonSerializable(typeof(RevocationRequest))]
internal sealed partial class ConsentsJsonContext : JsonSerializerContext;
