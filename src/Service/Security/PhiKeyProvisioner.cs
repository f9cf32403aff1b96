using System.Security.Cryptography;
using CoverageCheck.Service.Data;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

/// <summary>
/// Development and Testing only: without <c>Phi:Key</c>, use the key in <c>{data}/phi.key</c>, creating it (mode 0600)
/// the first time. Every other environment must configure the key; validation then stops start-up with one sentence.
/// </summary>
internal sealed class PhiKeyProvisioner(IHostEnvironment environment, DataDirectory dataDirectory, ILogger<PhiKeyProvisioner> logger)
    : IPostConfigureOptions<PhiOptions>
{
    public const string FileName = "phi.key";
    public const string TestingEnvironment = "Testing";

    public void PostConfigure(string? name, PhiOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Key)
            || !(environment.IsDevelopment() || environment.IsEnvironment(TestingEnvironment)))
        {
            return;
        }

        var path = dataDirectory.File(FileName);
        if (TryCreate(path, out var created))
        {
            options.Key = created;
            logger.LogWarning(
                "Phi:Key is not set, so a development key for protected health information was generated at {Path}; production must set Phi:Key.",
                path);
            return;
        }

        options.Key = File.ReadAllText(path).Trim();
    }

    private static bool TryCreate(string path, out string key)
    {
        key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(PhiOptions.KeySizeBytes));
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, fileOptions);
            writer.Write(key);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false; // Already there (or another process just wrote it): use it.
        }
    }
}
