using Storage.Service.Blobs;
using Storage.Service.Configuration;
using Storage.Service.Export;
using Storage.Service.Grid;
using Storage.Service.Grpc;
using Storage.Service.Health;
using Storage.Service.Metadata;

namespace Storage.Service;

/// <summary>Registration and mapping of Storage.Service.</summary>
public static class StorageServiceExtensions
{
    /// <summary>
    /// Adds storage: validated <see cref="StorageOptions"/> (throws <see cref="StorageConfigurationException"/> listing
    /// every configuration error), blob store (files, or an S3-compatible bucket), metadata store, engine, gRPC server with the receive limit raised to the
    /// image cap, ProblemDetails and the storage health check.
    /// </summary>
    public static WebApplicationBuilder AddStorageServices(this WebApplicationBuilder builder)
    {
        var options = StorageOptionsLoader.Load(builder.Configuration, builder.Environment.ContentRootPath);
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IBlobStore>(sp => options.BlobBackend switch
        {
            BlobBackend.FileSystem => ActivatorUtilities.CreateInstance<FileSystemBlobStore>(sp),
            BlobBackend.S3 => ActivatorUtilities.CreateInstance<S3BlobStore>(sp, options.S3!),
            _ => throw new StorageConfigurationException([$"blob backend {options.BlobBackend} is not implemented"]),
        });
        services.AddSingleton<IMetadataStore>(sp => options.MetadataBackend switch
        {
            MetadataBackend.Sqlite => ActivatorUtilities.CreateInstance<SqliteMetadataStore>(sp),
            MetadataBackend.Postgres => ActivatorUtilities.CreateInstance<PostgresMetadataStore>(sp),
            _ => throw new StorageConfigurationException([$"metadata backend {options.MetadataBackend} is not implemented"]),
        });
        services.AddSingleton<BlobLocks>();
        services.AddSingleton<RunExporter>();
        services.AddSingleton<StorageEngine>();
        services.AddSingleton<GridSplitter>();
        services.AddSingleton<StorageInitializer>();
        services.AddProblemDetails();
        services.AddGrpc(grpc => grpc.MaxReceiveMessageSize = options.GrpcMaxReceiveMessageSize);
        services.AddRpcExceptionMapper(StorageStatusMapper.Map);
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage", tags: ["ready"]);
        return builder;
    }

    /// <summary>Migrates metadata, creates a missing S3 bucket and sweeps the blob store (<see cref="StorageInitializer"/>); call before the app serves.</summary>
    public static Task InitializeStorageAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.Services.GetRequiredService<StorageInitializer>().InitializeAsync(cancellationToken);

    /// <summary>Maps <c>storage.v1.Storage</c>.</summary>
    public static WebApplication MapStorageGrpc(this WebApplication app)
    {
        app.MapGrpcService<StorageGrpcService>();
        return app;
    }
}
