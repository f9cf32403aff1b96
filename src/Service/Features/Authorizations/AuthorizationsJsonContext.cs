using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Features.Authorizations;

/// <summary>The authorisations feature's contract, source-generated (camelCase, web defaults, duplicate keys refused); also the encrypted payload.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowDuplicateProperties = false)]
[JsonSerializable(typeof(AuthorizationRequest))]
[JsonSerializable(typeof(AuthorizationResponse))]
[JsonSerializable(typeof(IReadOnlyList<AuthorizationResponse>))]
[JsonSerializable(typeof(AuthorizationSecret))]
[JsonSerializable(typeof(AuthorizationsDueResponse))]
internal sealed partial class AuthorizationsJsonContext : JsonSerializerContext;
