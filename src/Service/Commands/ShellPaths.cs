namespace CoverageCheck.Service.Commands;

/// <summary>
/// <c>dotnet run --project src/Service -- batch run census.csv</c> starts the program in the project's folder, not in
/// the folder the operator typed the command in. Relative paths on the command line mean the operator's folder (the
/// shell's <c>PWD</c>), so they are resolved there.
/// </summary>
internal static class ShellPaths
{
    public static FileInfo FromShell(FileInfo file) => FromShell(file, Environment.GetEnvironmentVariable("PWD"), Environment.CurrentDirectory);

    internal static FileInfo FromShell(FileInfo file, string? shellDirectory, string currentDirectory)
    {
        if (string.IsNullOrEmpty(shellDirectory) || !Path.IsPathRooted(shellDirectory)
            || string.Equals(Path.GetFullPath(shellDirectory).TrimEnd('/'), Path.GetFullPath(currentDirectory).TrimEnd('/'), StringComparison.Ordinal))
        {
            return file;
        }

        // FileInfo resolved a relative argument against the current folder; undo that and resolve it in the shell's.
        var relative = Path.GetRelativePath(currentDirectory, file.FullName);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)
            ? file
            : new FileInfo(Path.Combine(shellDirectory, relative));
    }
}
