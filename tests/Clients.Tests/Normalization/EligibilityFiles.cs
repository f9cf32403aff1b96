namespace CoverageCheck.Clients.Tests.Normalization;

/// <summary>
/// Where the eligibility test files are: the project's own fixtures (copied to the output folder) and the shared,
/// read-only public samples, found relative to the repository root as ../shared/samples/eligibility.
/// </summary>
internal static class EligibilityFiles
{
    public static string FixturesDirectory => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The shared samples folder, or null when this checkout has none beside it.</summary>
    public static string? SharedSamplesDirectory => SharedFolder("eligibility");

    /// <summary>The shared real-world corpus (../shared/samples/real-world), or null when this checkout has none beside it.</summary>
    public static string? RealWorldDirectory => SharedFolder("real-world");

    /// <summary>A folder of ../shared/samples (such as <c>remittances</c>), or null when this checkout has none beside it.</summary>
    public static string? SharedFolderOf(string name) => SharedFolder(name);

    private static string? SharedFolder(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                var samples = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "samples", name));
                return Directory.Exists(samples) ? samples : null;
            }
        }

        return null;
    }

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(FixturesDirectory, name));

    /// <summary>Reads a shared sample, or marks the test ignored with the reason when the samples are not there.</summary>
    public static string Shared(string name)
    {
        var directory = RequireSharedSamples();
        return File.ReadAllText(Path.Combine(directory, name));
    }

    public static string RequireSharedSamples()
    {
        var directory = SharedSamplesDirectory;
        if (directory is null)
        {
            Assert.Ignore("The shared samples (../shared/samples/eligibility beside the repository root) are not present in this checkout.");
        }

        return directory!;
    }

    public static IEnumerable<string> FixtureFiles(string pattern) =>
        Directory.Exists(FixturesDirectory) ? Directory.GetFiles(FixturesDirectory, pattern).Order(StringComparer.Ordinal) : [];

    public static IEnumerable<string> SharedFiles(string pattern) =>
        SharedSamplesDirectory is { } directory ? Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal) : [];

    /// <summary>Test case sources: every file of both folders, named by folder and file.</summary>
    public static IEnumerable<TestCaseData> AllFiles(string pattern) =>
        FixtureFiles(pattern).Select(f => new TestCaseData(f).SetArgDisplayNames("fixture " + Path.GetFileName(f)))
            .Concat(SharedFiles(pattern).Select(f => new TestCaseData(f).SetArgDisplayNames("shared " + Path.GetFileName(f))));
}
