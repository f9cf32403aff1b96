using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace CoverageCheck.Service.Infrastructure.Json;

/// <summary>
/// The one tolerant reader, for every feature alike: given a body that the source-generated serializer refused, it
/// names every reason (malformed JSON, a wrong type, a malformed date, an unknown choice, a duplicate key) by wire
/// path, then reads what it can, so that the feature's validator still runs over the fields that were fine and one
/// 400 names every bad field. It walks the body against the serializer's own contract (<see cref="JsonTypeInfo"/>),
/// so a field added to a record is checked here without a line of code. Messages never echo the value sent.
/// </summary>
internal static class JsonProblems
{
    /// <summary>
    /// Explains why <paramref name="json"/> does not read as <typeparamref name="T"/>, and reads it with every bad
    /// member left out (null when nothing could be read).
    /// </summary>
    public static (T? Partial, FieldErrors Errors) Explain<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        var errors = new FieldErrors();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException)
        {
            var (field, message) = JsonErrorLocator.Locate(json);
            errors.Add(field, message);
            return (null, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object && typeInfo.Kind == JsonTypeInfoKind.Object)
            {
                errors.Add(FieldErrors.BodyField, "The body must be a JSON object.");
                return (null, errors);
            }

            var repaired = Walk(root, typeInfo, "", errors, out var kept) ? kept : null;
            if (repaired is null)
            {
                return (null, errors);
            }

            try
            {
                return (repaired.Deserialize(typeInfo), errors);
            }
            catch (JsonException)
            {
                // Every member the walk kept read alone; a rule of the contract across members (none today) did not.
                errors.Add(FieldErrors.BodyField, "The body could not be read.");
                return (null, errors);
            }
        }
    }

    // Returns false when the value at this path is bad (and reported); `kept` is the value with bad members left out.
    private static bool Walk(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors, out JsonNode? kept)
    {
        kept = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            if (AcceptsNull(info.Type))
            {
                return true;
            }

            errors.Add(Field(path), "Must not be null.");
            return false;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                return WalkObject(element, info, path, errors, out kept);
            case JsonTypeInfoKind.Enumerable when info.ElementType is { } elementType:
                return WalkArray(element, info.Options.GetTypeInfo(elementType), path, errors, out kept);
            default:
                return WalkValue(element, info, path, errors, out kept);
        }
    }

    private static bool WalkObject(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors, out JsonNode? kept)
    {
        kept = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(Field(path), "Must be a JSON object.");
            return false;
        }

        var comparison = info.Options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var seen = new HashSet<string>(comparison);
        var result = new JsonObject();
        foreach (var member in element.EnumerateObject())
        {
            var memberPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            if (!seen.Add(member.Name))
            {
                errors.Add(memberPath, "Give this field once: it appears more than once.");
                result.Remove(member.Name);
                continue;
            }

            if (Property(info, member.Name, comparison) is not { } property)
            {
                continue; // not part of the contract: ignored, as the serializer ignores it
            }

            if (Walk(member.Value, info.Options.GetTypeInfo(property.PropertyType), memberPath, errors, out var value))
            {
                result[property.Name] = value;
            }
        }

        kept = result;
        return true;
    }

    private static bool WalkArray(JsonElement element, JsonTypeInfo itemInfo, string path, FieldErrors errors, out JsonNode? kept)
    {
        kept = null;
        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add(Field(path), "Must be a JSON array.");
            return false;
        }

        var result = new JsonArray();
        var index = 0;
        var bad = false;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index++}]");
            if (Walk(item, itemInfo, itemPath, errors, out var value))
            {
                result.Add(value);
            }
            else
            {
                bad = true;
            }
        }

        // A list with a bad item is left out whole: a list with a gap would be read as a different list.
        kept = bad ? null : result;
        return !bad;
    }

    private static bool WalkValue(JsonElement element, JsonTypeInfo info, string path, FieldErrors errors, out JsonNode? kept)
    {
        kept = null;
        try
        {
            _ = element.Deserialize(info); // the serializer's own converter decides, so this never disagrees with it
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            errors.Add(Field(path), Expected(info));
            return false;
        }

        kept = JsonNode.Parse(element.GetRawText());
        return true;
    }

    private static JsonPropertyInfo? Property(JsonTypeInfo info, string name, StringComparer comparison)
    {
        foreach (var property in info.Properties)
        {
            if (comparison.Equals(property.Name, name))
            {
                return property;
            }
        }

        return null;
    }

    private static bool AcceptsNull(Type type) => !type.IsValueType || Nullable.GetUnderlyingType(type) is not null;

    private static string Field(string path) => path.Length == 0 ? FieldErrors.BodyField : path;

    /// <summary>What a value of this type looks like, in words for the caller.</summary>
    private static string Expected(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum)
        {
            return $"Unknown choice: use {Choices(info, type)}.";
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.String => "Must be a string.",
            TypeCode.Boolean => "Must be true or false.",
            TypeCode.Int16 or TypeCode.Int32 or TypeCode.Int64 or TypeCode.Byte => "Must be a whole number.",
            TypeCode.Decimal or TypeCode.Double or TypeCode.Single => "Must be a number, such as 650.00.",
            TypeCode.DateTime => "Must be a date and time, such as 2026-12-01T15:04:05Z.",
            _ when type == typeof(DateOnly) => "Must be a date as YYYY-MM-DD.",
            _ when type == typeof(DateTimeOffset) => "Must be a date and time, such as 2026-12-01T15:04:05Z.",
            _ when type == typeof(Guid) => "Must be an id such as 0b7e5c1a-2f4d-4e8a-9c3b-6d1f0a2e4b5c.",
            _ => "This value could not be read.",
        };
    }

    // The wire names, as the serializer writes them (its naming policy and any renamed members included).
    private static string Choices(JsonTypeInfo info, Type enumType)
    {
        var names = new List<string>();
        foreach (var value in Enum.GetValuesAsUnderlyingType(enumType))
        {
            var boxed = Enum.ToObject(enumType, value);
            names.Add(JsonSerializer.Serialize(boxed, info));
        }

        return names.Count == 2 ? $"{names[0]} or {names[1]}" : string.Join(", ", names);
    }
}
