using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// The batches feature's contract, source-generated (camelCase): the answers of <c>/api/v1/batches</c>, and what the
/// <c>batch</c> command reads back from a running service, problem details included.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BatchCreatedResponse))]
[JsonSerializable(typeof(BatchStatusResponse))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
internal sealed partial class BatchesJsonContext : JsonSerializerContext;
