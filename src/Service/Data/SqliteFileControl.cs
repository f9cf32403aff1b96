using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace CoverageCheck.Service.Data;

/// <summary>
/// SQLite's own check that an open database file is still the file at its path (<c>SQLITE_FCNTL_HAS_MOVED</c>: the
/// Unix VFS compares the inode it opened with the one the path names now). Microsoft.Data.Sqlite does not expose
/// <c>sqlite3_file_control</c>, so it is called in the bundled e_sqlite3 library directly.
/// </summary>
internal static class SqliteFileControl
{
    private const int HasMovedOperation = 20; // SQLITE_FCNTL_HAS_MOVED
    private static int s_unavailable;

    /// <summary>False once the native call could not be made (another SQLite build); the file is then not watched.</summary>
    public static bool IsAvailable => Volatile.Read(ref s_unavailable) == 0;

    /// <summary>True when the file <paramref name="connection"/> opened was deleted or renamed, or another file took its path.</summary>
    public static bool HasMoved(SqliteConnection connection)
    {
        if (!IsAvailable || connection.Handle is not { } handle)
        {
            return false;
        }

        try
        {
            var moved = 0;
            return FileControl(handle.DangerousGetHandle(), "main", HasMovedOperation, ref moved) == 0 && moved != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref s_unavailable, 1);
            return false;
        }
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_file_control", CallingConvention = CallingConvention.Cdecl)]
    private static extern int FileControl(IntPtr database, [MarshalAs(UnmanagedType.LPUTF8Str)] string databaseName, int operation, ref int value);
}
