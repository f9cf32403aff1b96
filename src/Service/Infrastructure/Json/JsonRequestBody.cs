using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoverageCheck.Service.Infrastructure.Json;

/// <summary>What a JSON request body gave: the record, or the fields the serializer could not read.</summary>
/// <param name="Value">The body as read; with <see cref="Errors"/>, what could be read with the bad members left out.</param>
/// <param name="Errors">Every field that could not be read, by wire path.</param>
/// <param name="Refusal">A 413 or 415 to answer instead (the body was too large, or not JSON).</param>
internal sealed record JsonBody<T>(T? Value, FieldErrors Errors, ProblemHttpResult? Refusal = null)
    where T : class;

/// <summary>
/// Reads a feature's JSON request body through its source-generated contract. A well-formed body is read by the
/// serializer alone; one it refuses is handed to <see cref="JsonProblems"/>, which names every bad field.
/// </summary>
internal static class JsonRequestBody
{
    public static async Task<JsonBody<T>> ReadAsync<T>(
        HttpRequest request, JsonTypeInfo<T> typeInfo, int maxBytes, string what, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return Refused<T>(TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: $"Send the {what} as JSON (Content-Type: application/json)."));
        }

        if (request.ContentLength > maxBytes)
        {
            return Refused<T>(TooLarge(what, maxBytes));
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return Refused<T>(TooLarge(what, maxBytes));
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            return read.Buffer.IsSingleSegment ? Read(read.Buffer.FirstSpan, typeInfo, what) : Read(read.Buffer.ToArray(), typeInfo, what);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    /// <summary>Reads <paramref name="json"/> as <typeparamref name="T"/>, or names every reason it cannot.</summary>
    public static JsonBody<T> Read<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo, string what)
        where T : class
    {
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            var empty = new FieldErrors();
            empty.Add(FieldErrors.BodyField, $"A JSON {what} is required.");
            return new JsonBody<T>(null, empty);
        }

        try
        {
            if (JsonSerializer.Deserialize(json, typeInfo) is { } value)
            {
                return new JsonBody<T>(value, new FieldErrors());
            }
        }
        catch (JsonException)
        {
            // Named below, field by field.
        }

        var (partial, errors) = JsonProblems.Explain(json, typeInfo);
        if (errors.IsEmpty)
        {
            errors.Add(FieldErrors.BodyField, "The body must be a JSON object."); // the literal null
        }

        return new JsonBody<T>(partial, errors);
    }

    private static JsonBody<T> Refused<T>(ProblemHttpResult refusal)
        where T : class => new(null, new FieldErrors(), refusal);

    private static ProblemHttpResult TooLarge(string what, int maxBytes) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        detail: string.Create(CultureInfo.InvariantCulture, $"The {what} may be at most {maxBytes / 1024} KB."));
}
