using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Service.Infrastructure.Json;

/// <summary>An enum on the wire: its camelCase name (<c>active</c>, <c>in</c>), read case-insensitively; never a number.</summary>
internal sealed class WireEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where T : struct, Enum;
