using CoverageCheck.Service.Data;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

/// <summary>
/// The keys <c>keys add</c> writes to <c>{data}/apikeys.json</c>, read through a JSON configuration source.
/// <see cref="SecurityExtensions.AddSecurity"/> adds them to <see cref="AuthOptions"/> and registers
/// <see cref="Configuration"/> as a change token source, so <c>IOptionsMonitor&lt;AuthOptions&gt;</c> rebuilds the
/// options when the file is read again: every key lookup first compares the file's write time with the one last read
/// (<see cref="ReloadIfChanged"/>), so a key added, or an entry removed, counts from the very next request without a
/// restart. No file watcher: the folder also holds the SQLite database, and a watcher on it was woken by every write
/// to the database and its journal (6 % of the service's CPU in a census batch, for a file that changes a few times a year).
/// </summary>
internal sealed partial class LocalApiKeys : IDisposable
{
    private readonly PhysicalFileProvider _files;
    private readonly ConfigurationRoot _configuration;
    private readonly string _path;
    private readonly Lock _reloading = new();
    private DateTime _loadedWriteTime;

    public LocalApiKeys(DataDirectory dataDirectory, ILogger<LocalApiKeys> logger)
    {
        // Our own provider, disposed with us; it watches nothing (ReloadOnChange is off, see above).
        _files = new PhysicalFileProvider(dataDirectory.EnsureExists().Path);
        var path = _path = dataDirectory.File(SecurityExtensions.ApiKeysFileName);
        var loaded = false;
        _configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .AddJsonFile(source =>
            {
                source.FileProvider = _files;
                source.Path = SecurityExtensions.ApiKeysFileName;
                source.Optional = true;
                source.ReloadOnChange = false;
                source.OnLoadException = context =>
                {
                    // At start-up a broken file stops the service, as before; after that (a hand edit) its keys are
                    // dropped until it is fixed, instead of failing the request that noticed the change.
                    if (loaded)
                    {
                        LogUnreadable(logger, path, context.Exception.InnerException?.Message ?? context.Exception.Message);
                        context.Ignore = true;
                    }
                };
            })
            .Build();
        loaded = true;
        _loadedWriteTime = File.GetLastWriteTimeUtc(path);
    }

    /// <summary>
    /// Reads the file again now if it changed since it was last read: a key <c>keys add</c> has just written works on
    /// the very next request, and one <c>keys revoke</c> removed is refused from it. Cheap: one stat of the file.
    /// </summary>
    public void ReloadIfChanged()
    {
        var written = File.GetLastWriteTimeUtc(_path);
        if (written == _loadedWriteTime)
        {
            return;
        }

        lock (_reloading)
        {
            if (written == _loadedWriteTime)
            {
                return;
            }

            _loadedWriteTime = written;
            try
            {
                _configuration.Reload();
            }
            catch (AggregateException e) when (e.Flatten().InnerExceptions.All(inner => inner is OptionsValidationException))
            {
                // Raised by the options monitor's change callback, which runs inside Reload: the new keys are not
                // valid. ApiKeyRegistry meets the same failure when it reads the options, keeps the previous keys in
                // force and says why; this request must not fail for it.
            }
        }
    }

    /// <summary>The file's contents as configuration (<c>Auth:ApiKeys:N:…</c>); its reload token fires when the file changes.</summary>
    public IConfiguration Configuration => _configuration;

    public void AddTo(AuthOptions options)
    {
        var local = new AuthOptions();
        _configuration.GetSection(AuthOptions.SectionName).Bind(local);
        foreach (var key in local.ApiKeys)
        {
            options.ApiKeys.Add(key);
        }
    }

    public void Dispose()
    {
        _configuration.Dispose();
        _files.Dispose();
    }

    [LoggerMessage(LogLevel.Warning, "{Path} changed but cannot be read ({Reason}); its API keys are refused until it is fixed.")]
    private static partial void LogUnreadable(ILogger logger, string path, string reason);
}
