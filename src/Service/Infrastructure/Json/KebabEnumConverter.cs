using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Infrastructure.Json;

/// <summary>An enum stored and answered as its kebab-case name (<c>correct-data</c>), as verification results always were.</summary>
internal sealed class KebabEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.KebabCaseLower)
    where T : struct, Enum;
