using Microsoft.Extensions.Logging.Abstractions;
using Storage.Service.Configuration;
using Storage.Service.Metadata;

namespace Storage.Service.Tests.TestSupport;

/// <summary>
/// A fresh, empty metadata database of one backend (a SQLite file in a temp folder, or a database on the shared
/// PostgreSQL server) and the stores opened on it; each store is a separate client, as a storage replica is.
/// </summary>
internal sealed class MetadataDatabase : IAsyncDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly List<IMetadataStore> _stores = [];
    private PostgresServer? _server;
    private string? _postgresDatabase;

    private MetadataDatabase(MetadataBackend backend) => Backend = backend;

    public MetadataBackend Backend { get; }

    /// <summary>What a store on this database is configured with.</summary>
    public StorageOptions Options { get; private set; } = null!;

    public static async Task<MetadataDatabase> CreateAsync(MetadataBackend backend)
    {
        var database = new MetadataDatabase(backend);
        PostgresOptions? postgres = null;
        if (backend == MetadataBackend.Postgres)
        {
            database._server = await SharedServer<PostgresServer>.GetAsync().WithTimeout(TestTimeouts.ServerStart);
            database._postgresDatabase = await database._server.CreateDatabaseAsync("metadata").DefaultTimeout();
            postgres = new PostgresOptions(database._server.ConnectionString(database._postgresDatabase));
        }
        database.Options = new StorageOptions
        {
            BlobRoot = Path.Combine(database._folder.Path, "blobs"),
            DatabasePath = Path.Combine(database._folder.Path, "storage.db"),
            MetadataBackend = backend,
            Postgres = postgres,
        };
        return database;
    }

    /// <summary>A new store (own connections) on this database, not yet initialised.</summary>
    public IMetadataStore OpenStore(TimeProvider? time = null)
    {
        IMetadataStore store = Backend switch
        {
            MetadataBackend.Sqlite => new SqliteMetadataStore(Options, time ?? TimeProvider.System, NullLogger<SqliteMetadataStore>.Instance),
            MetadataBackend.Postgres => new PostgresMetadataStore(Options, time ?? TimeProvider.System, NullLogger<PostgresMetadataStore>.Instance),
            _ => throw new ArgumentOutOfRangeException(nameof(Backend), Backend, "unknown metadata backend"),
        };
        _stores.Add(store);
        return store;
    }

    /// <summary>A new store, initialised.</summary>
    public async Task<IMetadataStore> OpenInitializedStoreAsync(TimeProvider? time = null)
    {
        var store = OpenStore(time);
        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            if (store is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync();
            }
            else
            {
                (store as IDisposable)?.Dispose();
            }
        }
        if (_server is not null && _postgresDatabase is not null)
        {
            await _server.DropDatabaseAsync(_postgresDatabase).DefaultTimeout();
        }
        _folder.Dispose();
    }
}
