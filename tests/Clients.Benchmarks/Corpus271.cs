using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Benchmarks;

/// <summary>
/// The 271 files the benchmarks read: the shared public samples (when present beside the repository) and the
/// project's own fixtures, minus the deliberately malformed ones.
/// </summary>
internal static class Corpus271
{
    public static IReadOnlyList<string> DefaultPaths()
    {
        var root = RepositoryRoot() ?? throw new InvalidOperationException("Run the benchmarks from inside the repository (CoverageCheck.sln not found above the current or output folder).");
        var fixtures = Path.Combine(root, "tests", "Clients.Tests", "Fixtures");
        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "samples", "eligibility"));
        var paths = new List<string>();
        foreach (var directory in new[] { shared, fixtures })
        {
            if (Directory.Exists(directory))
            {
                paths.AddRange(Directory.GetFiles(directory, "*.271").Where(p => !Path.GetFileName(p).StartsWith("malformed-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            }
        }

        return paths;
    }

    public static string[] Load(IEnumerable<string> paths)
    {
        var texts = paths.Select(File.ReadAllText).ToArray();
        foreach (var (text, path) in texts.Zip(paths))
        {
            var result = X271Reader.Read(text);
            if (!result.IsReadable)
            {
                throw new InvalidOperationException($"{Path.GetFileName(path)} is not a readable 271: {result.Errors[0]}");
            }
        }

        return texts;
    }

    private static string? RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
                {
                    return directory.FullName;
                }
            }
        }

        return null;
    }
}
