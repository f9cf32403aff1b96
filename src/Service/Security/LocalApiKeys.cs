using CoverageCheck.Service.Data;
using Microsoft.Extensions.FileProviders;

namespace CoverageCheck.Service.Security;

/// <summary>
/// The keys <c>keys add</c> writes to <c>{data}/apikeys.json</c>, read through a JSON configuration source with
/// reloadOnChange. <see cref="SecurityExtensions.AddSecurity"/> adds them to <see cref="AuthOptions"/> and registers
/// <see cref="Configuration"/> as a change token source, so <c>IOptionsMonitor&lt;AuthOptions&gt;</c> rebuilds the
/// options when the file changes: a key added, or an entry removed, counts from the next request without a restart.
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
        // Our own provider, disposed with us: it owns the file watcher.
        _files = new PhysicalFileProvider(dataDirectory.EnsureExists().Path);
        var path = _path = dataDirectory.File(SecurityExtensions.ApiKeysFileName);
        var loaded = false;
        _configuration = (ConfigurationRoot)new ConfigurationBuilder()
            .AddJsonFile(source =>
            {
                source.FileProvider = _files;
                source.Path = SecurityExtensions.ApiKeysFileName;
                source.Optional = true;
                source.ReloadOnChange = true;
                source.OnLoadException = context =>
                {
                    // At start-up a broken file stops the service, as before; after that (a hand edit) its keys are
                    // dropped until it is fixed, instead of an exception on the watcher's thread.
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
    /// the very next request, before the file watcher (which debounces) has noticed. Cheap: one stat of the file.
    /// True when the keys were read again.
    /// </summary>
    public bool ReloadIfChanged()
    {
        var written = File.GetLastWriteTimeUtc(_path);
        if (written == _loadedWriteTime)
        {
            return false;
        }

        lock (_reloading)
        {
            if (written == _loadedWriteTime)
            {
                return false;
            }

            _configuration.Reload();
            _loadedWriteTime = written;
            return true;
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
