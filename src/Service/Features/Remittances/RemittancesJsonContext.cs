using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>The remittances feature's contract, source-generated (camelCase, web defaults); also the encrypted record at rest.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RemittanceResponse))]
[JsonSerializable(typeof(IReadOnlyList<RemittanceSummary>))]
[JsonSerializable(typeof(EstimateAccuracyReport))]
internal sealed partial class RemittancesJsonContext : JsonSerializerContext;
