using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CoverageCheck.Service.Infrastructure.Json;

/// <summary>
/// Finds where malformed JSON breaks, as a field path (<c>program.weeks</c>, <c>program.sessionDates[2]</c>), so a
/// 400 can name the field the way every other validation error does.
/// </summary>
internal static class JsonErrorLocator
{
    public static (string Field, string Message) Locate(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        var frames = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[^1] = frames[^1] with { Name = reader.GetString() };
                        break;
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Advance(frames);
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, null));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        ValueDone(frames);
                        break;
                    default:
                        Advance(frames);
                        ValueDone(frames);
                        break;
                }
            }

            return (FieldErrors.BodyField, "The body is not complete JSON.");
        }
        catch (JsonException)
        {
            // The failing value is the element after the last one read.
            if (frames.Count > 0 && frames[^1].IsArray)
            {
                Advance(frames);
            }

            var path = Path(frames);
            var at = string.Create(CultureInfo.InvariantCulture, $"byte {reader.BytesConsumed}");
            return (path.Length == 0 ? FieldErrors.BodyField : path, $"Malformed JSON here (at {at}): the value could not be read.");
        }
    }

    private static void Advance(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
        }
    }

    // Once a member's value is read, an error before the next name belongs to the enclosing object, not that member.
    private static void ValueDone(List<Frame> frames)
    {
        if (frames.Count > 0 && !frames[^1].IsArray)
        {
            frames[^1] = frames[^1] with { Name = null };
        }
    }

    private static string Path(List<Frame> frames)
    {
        var path = new StringBuilder();
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                if (frame.Index >= 0)
                {
                    path.Append(CultureInfo.InvariantCulture, $"[{frame.Index}]");
                }
            }
            else if (frame.Name is not null)
            {
                path.Append(path.Length == 0 ? string.Empty : ".").Append(frame.Name);
            }
        }

        return path.ToString();
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Name);
}
