namespace CoverageCheck.Service.Tests;

/// <summary>
/// A new, empty folder of its own under the system temp folder (<c>coveragecheck-tests/{purpose}-{guid}</c>) for one
/// host or test, deleted with everything in it on dispose. Every test that writes files uses one, so fixtures running
/// in parallel never share a database or a file.
/// </summary>
internal sealed class TempFolder : IDisposable
{
    private static readonly string s_root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "coveragecheck-tests");
    private int _disposed;

    public TempFolder(string purpose = "test")
    {
        Path = Directory.CreateDirectory(System.IO.Path.Combine(s_root, $"{purpose}-{Guid.NewGuid():N}")).FullName;
    }

    public string Path { get; }

    /// <summary>A path inside the folder (nothing is created).</summary>
    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>
    /// Deletes the folder. A file still held open (a process that has not quite exited, a pooled SQLite handle on
    /// Windows) gets a few short retries; after that the folder is left for the OS to clean and the run says so,
    /// because throwing here would hide the test's own result.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 5)
                {
                    TestContext.Progress.WriteLine($"Could not delete the test folder {Path}: {e.Message}");
                    return;
                }

                Thread.Sleep(50 * attempt);
            }
        }
    }
}
