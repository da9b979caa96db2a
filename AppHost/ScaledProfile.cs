using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AppHost;

/// <summary>
/// The scaled profile (<c>dotnet run --project AppHost -- --scaled</c>, or <c>Pipeline:Scaled=true</c>): the fleet as it
/// runs across machines, on this one. Run records, run-id claims and per-key limits live in PostgreSQL, image blobs in an
/// S3-compatible server, and the gateway, the router and storage run <see cref="Replicas"/> processes each behind DCP's
/// proxy. Published (<c>--publisher manifest</c>), the database and the object store are external: a connection string and
/// parameters.
/// </summary>
public static class ScaledProfile
{
    /// <summary>The command-line flag.</summary>
    public const string Flag = "--scaled";

    /// <summary>The configuration key the flag sets.</summary>
    public const string ConfigurationKey = "Pipeline:Scaled";

    /// <summary>Processes per replicated service.</summary>
    public const int Replicas = 2;

    /// <summary>
    /// Connections each client keeps to a service (<c>Pipeline:ConnectionsPerService</c>): DCP's proxy picks a replica per
    /// connection, not per call. With three, one CI run had every connection of both gateways on one router; with eight
    /// per client that chance is about 1 in 30,000 for the two gateways together.
    /// </summary>
    public const int ConnectionsPerService = 8;

    /// <summary>The connection string's name (services read <c>ConnectionStrings:pipeline-db</c>).</summary>
    public const string DatabaseName = "pipeline-db";

    /// <summary>The bucket image blobs go to.</summary>
    public const string Bucket = "pipeline-images";

    /// <summary>s3rver's fixed credentials (it accepts only these).</summary>
    private const string S3rverKey = "S3RVER";

    /// <summary><paramref name="args"/> with <see cref="Flag"/> turned into <c>--Pipeline:Scaled=true</c>.</summary>
    public static string[] Args(string[] args) => [.. args.Select(a => a == Flag ? $"--{ConfigurationKey}=true" : a)];

    /// <summary>Whether the scaled profile is on.</summary>
    public static bool IsScaled(this IDistributedApplicationBuilder builder) => builder.Configuration.GetValue<bool>(ConfigurationKey);

    /// <summary>
    /// Under the scaled profile: PostgreSQL (<c>deploy/local/postgres.sh</c>, data in <c>{data}/postgres</c>, password in
    /// <c>{data}/postgres.password</c>) and s3rver (<c>npm ci --prefix deploy/local/s3rver</c>, data in <c>{data}/s3</c>) as
    /// executables, healthy once they answer; published, a connection string and S3 parameters. Null otherwise.
    /// </summary>
    public static SharedBackends? AddSharedBackendsWhenScaled(this IDistributedApplicationBuilder builder, DataDirectory data)
    {
        if (!builder.IsScaled())
        {
            return null;
        }
        if (builder.ExecutionContext.IsPublishMode)
        {
            return new SharedBackends(builder.AddConnectionString(DatabaseName), [],
                ReferenceExpression.Create($"{builder.AddParameter("s3-service-url")}"), ReferenceExpression.Create($"{builder.AddParameter("s3-bucket", Bucket)}"),
                ReferenceExpression.Create($"{builder.AddParameter("s3-access-key", secret: true)}"), ReferenceExpression.Create($"{builder.AddParameter("s3-secret-key", secret: true)}"));
        }

        var repo = PipelineResourceExtensions.FindRepoRoot(builder.AppHostDirectory);
        var s3rver = Path.Combine(repo, "deploy", "local", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(s3rver))
        {
            throw new InvalidOperationException($"The scaled profile needs s3rver: run 'npm ci --prefix deploy/local/s3rver' in {repo} (and 'apt-get install postgresql').");
        }

        var password = DatabasePassword(data);
        var postgres = builder.AddExecutable("postgres", "bash", repo, Path.Combine(repo, "deploy", "local", "postgres.sh"), Path.Combine(data.Path, "postgres"))
            .WithEndpoint(name: "tcp", scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("PIPELINE_DB_PASSWORD", password);
        var endpoint = postgres.GetEndpoint("tcp");
        var database = builder.AddConnectionString(DatabaseName,
            ReferenceExpression.Create($"Host=127.0.0.1;Port={endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={password};Database=postgres"));
        builder.Services.AddHealthChecks().AddAsyncCheck("postgres-ready", ct => PingAsync(endpoint, password, ct));
        postgres.WithHealthCheck("postgres-ready");

        // --openssl-legacy-provider: s3rver encrypts its listing page tokens with DES, which Node 20's OpenSSL 3 refuses otherwise.
        var s3 = builder.AddExecutable("s3", "node", repo, "--openssl-legacy-provider", s3rver,
                "--address", "127.0.0.1", "--directory", Path.Combine(data.Path, "s3"), "--configure-bucket", Bucket, "--silent", "--no-vhost-buckets")
            .WithHttpEndpoint(name: "http", isProxied: false)
            .WithArgs(context => context.Args.Add(ReferenceExpression.Create($"--port={s3Port(context)}")))
            .WithHttpHealthCheck("/");
        StartupBanner.Add(builder, $"scaled profile: {Replicas} gateways, routers and storage services; PostgreSQL and s3rver data in {data.Path}");
        return new SharedBackends(database, [postgres, s3],
            ReferenceExpression.Create($"{s3.GetEndpoint("http")}"), ReferenceExpression.Create($"{Bucket}"),
            ReferenceExpression.Create($"{S3rverKey}"), ReferenceExpression.Create($"{S3rverKey}"));

        EndpointReferenceExpression s3Port(CommandLineArgsCallbackContext context) =>
            ((IResourceWithEndpoints)context.Resource).GetEndpoint("http").Property(EndpointProperty.TargetPort);
    }

    /// <summary>Storage under the scaled profile: run metadata in PostgreSQL, blobs in S3, <see cref="Replicas"/> processes.</summary>
    public static IResourceBuilder<ProjectResource> WithSharedBackends(this IResourceBuilder<ProjectResource> storage, SharedBackends? shared) =>
        shared is null ? storage : storage.Replicated(shared)
            .WithEnvironment("Storage__MetadataBackend", "Postgres").WithReference(shared.Database)
            .WithEnvironment("Storage__BlobBackend", "S3")
            .WithEnvironment("Storage__S3__ServiceUrl", shared.S3ServiceUrl)
            .WithEnvironment("Storage__S3__Bucket", shared.S3Bucket)
            .WithEnvironment("Storage__S3__AccessKey", shared.S3AccessKey)
            .WithEnvironment("Storage__S3__SecretKey", shared.S3SecretKey);

    /// <summary>The gateway under the scaled profile: per-key limits counted in PostgreSQL, <see cref="Replicas"/> processes.</summary>
    public static IResourceBuilder<ProjectResource> WithSharedLimits(this IResourceBuilder<ProjectResource> gateway, SharedBackends? shared) =>
        shared is null ? gateway : gateway.Replicated(shared)
            .WithEnvironment("Gateway__RateLimits__Store", "Postgres").WithReference(shared.Database);

    /// <summary>A service with <see cref="Replicas"/> processes under the scaled profile, each client of it spreading its calls.</summary>
    public static IResourceBuilder<ProjectResource> WithScaledReplicas(this IResourceBuilder<ProjectResource> service, SharedBackends? shared) =>
        shared is null ? service : service.Replicated(shared);

    private static IResourceBuilder<ProjectResource> Replicated(this IResourceBuilder<ProjectResource> service, SharedBackends shared)
    {
        foreach (var backend in shared.Processes)
        {
            service.WaitFor(backend);
        }
        return service.WithReplicas(Replicas).WithEnvironment("Pipeline__ConnectionsPerService", ConnectionsPerService.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The database password: generated at the first scaled start and kept (owner-only) beside the data it guards.</summary>
    private static string DatabasePassword(DataDirectory data)
    {
        var file = Path.Combine(data.Path, "postgres.password");
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(file, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return password;
    }

    private static async Task<HealthCheckResult> PingAsync(EndpointReference endpoint, string password, CancellationToken cancellationToken)
    {
        if (!endpoint.IsAllocated)
        {
            return HealthCheckResult.Unhealthy("no port yet");
        }
        try
        {
            await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={endpoint.Port};Username=postgres;Password={password};Database=postgres;Timeout=3");
            await connection.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

/// <summary>
/// What the scaled profile's services share: the database's connection string, the processes serving it and the object
/// store (none when published), and the object store's address, bucket and credentials.
/// </summary>
public sealed record SharedBackends(
    IResourceBuilder<IResourceWithConnectionString> Database,
    IReadOnlyList<IResourceBuilder<ExecutableResource>> Processes,
    ReferenceExpression S3ServiceUrl,
    ReferenceExpression S3Bucket,
    ReferenceExpression S3AccessKey,
    ReferenceExpression S3SecretKey);
