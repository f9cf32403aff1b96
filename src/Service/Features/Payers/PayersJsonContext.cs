using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Payers;

/// <summary>The payer list's contract, source-generated (camelCase, web defaults).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(IReadOnlyList<PayerListItem>))]
internal sealed partial class PayersJsonContext : JsonSerializerContext;
