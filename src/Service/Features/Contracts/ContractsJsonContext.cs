using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Contracts;

/// <summary>The contracts feature's contract, source-generated (camelCase, web defaults, duplicate keys refused); also what is stored.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(Contract))]
[JsonSerializable(typeof(ContractRequest))]
[JsonSerializable(typeof(IReadOnlyList<Contract>))]
internal sealed partial class ContractsJsonContext : JsonSerializerContext;
