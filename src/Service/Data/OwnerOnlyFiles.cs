namespace CoverageCheck.Service.Data;

/// <summary>
/// Files that hold protected health information or keys (the SQLite database and its -wal/-shm, <c>phi.key</c>,
/// <c>apikeys.json</c>, written reports) are readable by the service's own user only: mode 0600, their folder 0700.
/// On Unix a file is created with that mode (never created wider and narrowed afterwards), and one found wider is
/// narrowed. Windows keeps its ACLs: these calls do nothing there.
/// </summary>
internal static class OwnerOnlyFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupAndOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Creates the folder 0700, or takes group and others' access away from an existing one.</summary>
    public static void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, FolderMode);
        }

        Narrow(path);
    }

    /// <summary>Creates an empty file 0600 when it is missing, or takes group and others' access away from an existing one.</summary>
    public static void EnsureFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            using var created = new FileStream(path, new FileStreamOptions
            {
                Mode = System.IO.FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = FileMode,
            });
        }
        catch (IOException) when (File.Exists(path))
        {
            Narrow(path);
        }
    }

    /// <summary>Narrows the file if it exists (SQLite's -wal and -shm files take the database file's mode when it creates them).</summary>
    public static void NarrowIfExists(string path)
    {
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            Narrow(path);
        }
    }

    /// <summary>Opens a file to write from the start (created 0600; an existing file is narrowed and truncated).</summary>
    public static FileStream CreateForWrite(string path, int bufferSize = 64 * 1024)
    {
        var options = new FileStreamOptions
        {
            Mode = System.IO.FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
            BufferSize = bufferSize,
            Options = FileOptions.Asynchronous,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
            NarrowIfExists(path);
        }

        return new FileStream(path, options);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Narrow(string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupAndOthers) != 0)
        {
            File.SetUnixFileMode(path, mode & ~GroupAndOthers);
        }
    }
}
