using Microsoft.Extensions.Options;

namespace Router.Service.Catalogue;

/// <summary>Raised after every reload attempt, successful or not.</summary>
/// <param name="Result">What the reload found.</param>
/// <param name="Current">The snapshot in force afterwards (the new one, or the last good one).</param>
public sealed record CatalogueReloadedEventArgs(CatalogueLoadResult Result, CatalogueSnapshot Current);

/// <summary>
/// Holds the current <see cref="CatalogueSnapshot"/> snapshot. Loads it on construction and throws
/// <see cref="InvalidCatalogueException"/> (listing every error) when it is invalid, so the service refuses to start.
/// Watches the directory and, after a quiet period, reloads; a valid result replaces the snapshot atomically, an
/// invalid one is logged and the last good snapshot stays.
/// </summary>
public sealed class CatalogueProvider : IHostedService, IDisposable
{
    private readonly ILogger<CatalogueProvider> _logger;
    private readonly TimeProvider _time;
    private readonly CatalogueOptions _options;
    private readonly Lock _reloadLock = new();
    private readonly ITimer _debounce;
    private FileSystemWatcher? _watcher;
    private CatalogueSnapshot _current;

    public CatalogueProvider(IOptions<CatalogueOptions> options, IHostEnvironment environment, ILogger<CatalogueProvider> logger, TimeProvider time)
    {
        _options = options.Value;
        _logger = logger;
        _time = time;
        Directory = System.IO.Path.GetFullPath(System.IO.Path.Combine(environment.ContentRootPath, _options.Path));
        _current = CatalogueLoader.LoadOrThrow(Directory, time);
        _debounce = time.CreateTimer(_ => ReloadFromTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        CatalogueLog.Loaded(logger, Directory, _current.Configs.Count, _current.Chunks.Count);
    }

    /// <summary>The catalogue directory (absolute).</summary>
    public string Directory { get; }

    /// <summary>The current snapshot. Read it once per request and use that instance throughout.</summary>
    public CatalogueSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised after every reload attempt (from the watcher or <see cref="Reload"/>).</summary>
    public event EventHandler<CatalogueReloadedEventArgs>? Reloaded;

    /// <summary>Reloads now. On success the snapshot is replaced; on failure it is kept and the errors are logged.</summary>
    public CatalogueLoadResult Reload()
    {
        CatalogueLoadResult result;
        CatalogueSnapshot current;
        lock (_reloadLock)
        {
            result = CatalogueLoader.Load(Directory, _time);
            if (result.Catalogue is { } loaded)
            {
                Volatile.Write(ref _current, loaded);
                CatalogueLog.Reloaded(_logger, Directory, loaded.Configs.Count, loaded.Chunks.Count);
            }
            else
            {
                CatalogueLog.ReloadRejected(_logger, Directory, _current.LoadedAt, result.Errors.Length,
                    string.Join(Environment.NewLine, result.Errors.Select(e => $"  - {e}")));
            }

            current = _current;
        }

        Reloaded?.Invoke(this, new CatalogueReloadedEventArgs(result, current));
        return result;
    }

    /// <summary>Starts watching the directory when <see cref="CatalogueOptions.Watch"/> is set.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.Watch && _watcher is null)
        {
            _watcher = new FileSystemWatcher(Directory)
            {
                IncludeSubdirectories = true,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
            };
            _watcher.Changed += OnChanged;
            _watcher.Created += OnChanged;
            _watcher.Deleted += OnChanged;
            _watcher.Renamed += OnChanged;
            _watcher.Error += OnWatcherError;
            _watcher.EnableRaisingEvents = true;
            CatalogueLog.Watching(_logger, Directory);
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops watching.</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        StopWatching();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        StopWatching();
        _debounce.Dispose();
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        CatalogueLog.ChangeDetected(_logger, e.FullPath, _options.ReloadDebounceMilliseconds);
        _debounce.Change(TimeSpan.FromMilliseconds(_options.ReloadDebounceMilliseconds), Timeout.InfiniteTimeSpan);
    }

    private void OnWatcherError(object sender, ErrorEventArgs e)
    {
        CatalogueLog.WatcherFailed(_logger, Directory, e.GetException());
        // Events may have been lost (buffer overflow): rescan to be sure.
        _debounce.Change(TimeSpan.FromMilliseconds(_options.ReloadDebounceMilliseconds), Timeout.InfiniteTimeSpan);
    }

    private void ReloadFromTimer()
    {
        try
        {
            Reload();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            CatalogueLog.WatcherFailed(_logger, Directory, ex);
        }
    }

    private void StopWatching()
    {
        _watcher?.Dispose();
        _watcher = null;
    }
}
