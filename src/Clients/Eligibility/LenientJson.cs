using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Clients.Eligibility;

/// <summary>
/// System.Text.Json settings that never throw on a payer's odd value: numbers and booleans where strings are expected
/// are kept as their text, objects or arrays where a value is expected are skipped, a single object where an array is
/// expected becomes a one-item list. Only input that is not JSON at all fails, and <see cref="TryDeserialize"/> turns
/// that into an error message.
/// </summary>
public static class ClearinghouseJson
{
    /// <summary>Options for the clearinghouse DTOs: camelCase, case-insensitive, comments and trailing commas allowed, lenient strings.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>Reads a clearinghouse eligibility response; on malformed JSON returns null and says where it broke (never what it held).</summary>
    public static ClearinghouseEligibilityResponse? TryDeserialize(string? json, out string? error)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "the clearinghouse response body is empty";
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 128 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"the clearinghouse response is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object";
                return null;
            }

            error = null;
            return document.RootElement.Deserialize<ClearinghouseEligibilityResponse>(Options);
        }
        catch (JsonException exception)
        {
            error = $"the clearinghouse response is not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1})";
            return null;
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            AllowTrailingCommas = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            MaxDepth = 128,
        };
        options.Converters.Add(new LenientStringConverter());
        options.TypeInfoResolver = EligibilityResponseJsonContext.Default;
        options.MakeReadOnly();
        return options;
    }
}

/// <summary>Source-generated metadata for the clearinghouse DTOs (no reflection, trim- and AOT-safe).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip)]
[JsonSerializable(typeof(ClearinghouseEligibilityResponse))]
internal sealed partial class EligibilityResponseJsonContext : JsonSerializerContext;

/// <summary>Reads any JSON value into a string: text as is, numbers and booleans as their text, objects and arrays skipped (null).</summary>
public sealed class LenientStringConverter : JsonConverter<string?>
{
    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                reader.Skip();
                return null;
            default:
                return null;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}

/// <summary>
/// Reads an array leniently: items of the wrong kind are skipped, a single object (or a single string for a list of
/// strings) becomes a one-item list, anything else is null.
/// </summary>
public sealed class LenientListConverter<T> : JsonConverter<IReadOnlyList<T>?>
    where T : class
{
    /// <inheritdoc />
    public override IReadOnlyList<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartArray:
                var items = new List<T>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadItem(ref reader, options) is { } item)
                    {
                        items.Add(item);
                    }
                }

                return items;
            case JsonTokenType.StartObject or JsonTokenType.String or JsonTokenType.Number:
                return ReadItem(ref reader, options) is { } single ? [single] : [];
            default:
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
                {
                    return null;
                }

                reader.Skip();
                return null;
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<T>? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value?.ToArray(), options);

    private static T? ReadItem(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (typeof(T) == typeof(string))
        {
            var converter = (JsonConverter<string?>)options.GetConverter(typeof(string));
            return (T?)(object?)converter.Read(ref reader, typeof(string), options);
        }

        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize<T>(ref reader, options);
        }

        if (reader.TokenType is JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return null;
    }
}

/// <summary>Reads an object leniently: anything that is not a JSON object becomes null instead of an exception.</summary>
public sealed class LenientObjectConverter<T> : JsonConverter<T?>
    where T : class
{
    /// <inheritdoc />
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize<T>(ref reader, options);
        }

        if (reader.TokenType is JsonTokenType.StartArray)
        {
            reader.Skip();
        }

        return null;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, T? value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
