namespace CoverageCheck.Service.Data;

/// <summary>
/// The folder for local state: the default SQLite database, the development PHI key and locally created API keys.
/// Configured by <c>Data:Directory</c>; default <c>data/</c> under the current directory.
/// </summary>
internal sealed class DataDirectory
{
    public const string ConfigurationKey = "Data:Directory";

    public DataDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
    }

    public string Path { get; }

    public static DataDirectory From(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        return new DataDirectory(string.IsNullOrWhiteSpace(configured)
            ? System.IO.Path.Combine(Directory.GetCurrentDirectory(), "data")
            : configured);
    }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Creates the folder (mode 0700 on Unix; an existing one is narrowed to its owner).</summary>
    public DataDirectory EnsureExists()
    {
        OwnerOnlyFiles.EnsureFolder(Path);
        return this;
    }
}
