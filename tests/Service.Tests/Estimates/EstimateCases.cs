using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoverageCheck.Service.Tests.Estimates;

/// <summary>The contract's reference cases, from the copies the estimator tests keep in the repository.</summary>
internal static class EstimateCases
{
    public static JsonObject Load(string id)
    {
        var path = Path.Combine(RepositoryRoot(), "tests", "Estimator.Tests", "Cases", id + ".json");
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    /// <summary>The id of every reference case, such as <c>S01-copay-only</c>.</summary>
    public static IEnumerable<string> Ids() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "tests", "Estimator.Tests", "Cases"), "*.json")
            .Select(path => Path.GetFileNameWithoutExtension(path))
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// Asserts that every member of <paramref name="expected"/> is in <paramref name="actual"/> with the same value
    /// (numbers compared as decimals, arrays element by element); the response may carry more members.
    /// </summary>
    public static void AssertContains(JsonElement actual, JsonNode? expected, string path = "$")
    {
        switch (expected)
        {
            case JsonObject members:
                Assert.That(actual.ValueKind, Is.EqualTo(JsonValueKind.Object), path);
                foreach (var (name, value) in members)
                {
                    Assert.That(actual.TryGetProperty(name, out var member), Is.True, $"{path}.{name} is missing");
                    AssertContains(member, value, $"{path}.{name}");
                }

                break;
            case JsonArray items:
                Assert.That(actual.ValueKind, Is.EqualTo(JsonValueKind.Array), path);
                Assert.That(actual.GetArrayLength(), Is.EqualTo(items.Count), $"{path} length");
                for (var i = 0; i < items.Count; i++)
                {
                    AssertContains(actual[i], items[i], $"{path}[{i}]");
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                Assert.That(actual.GetDecimal(), Is.EqualTo(value.GetValue<decimal>()), path);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.That(actual.GetString(), Is.EqualTo(value.GetValue<string>()), path);
                break;
            case null:
                Assert.That(actual.ValueKind, Is.EqualTo(JsonValueKind.Null), path);
                break;
            default:
                Assert.That(actual.GetRawText(), Is.EqualTo(expected.ToJsonString()), path);
                break;
        }
    }

    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (CoverageCheck.sln) was not found above the test output.");
    }
}
