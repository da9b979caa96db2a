using System.Globalization;
using System.Security.Cryptography;

namespace AppHost;

/// <summary>The Pipeline-specific pieces of the model that would not read as one line in Program.cs.</summary>
public static class PipelineResourceExtensions
{
    /// <summary>The key adapters send to the emulator, which accepts any key (its <c>Emulator:ApiKeys</c> is empty).</summary>
    public const string EmulatorApiKey = "sk-emulator-offline";

    /// <summary>The configuration key of the data folder; relative paths are taken from the repository root.</summary>
    public const string DataDirectoryKey = "Pipeline:DataDirectory";

    /// <summary>
    /// The folder every durable byte of the fleet lives in (<c>Pipeline:DataDirectory</c>, default <c>{repo}/.data</c>,
    /// ignored by git): created now, printed at start.
    /// </summary>
    public static DataDirectory AddDataDirectory(this IDistributedApplicationBuilder builder)
    {
        var repoRoot = FindRepoRoot(builder.AppHostDirectory);
        var configured = builder.Configuration[DataDirectoryKey];
        var path = Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(repoRoot, ".data") : Path.Combine(repoRoot, configured));
        Directory.CreateDirectory(path);
        var data = new DataDirectory(path);
        StartupBanner.Add(builder, $"data folder ({DataDirectoryKey}): {path}");
        return data;
    }

    /// <summary>Storage keeps its blobs and run database in <c>{data}/storage</c> (<c>Storage:DataDirectory</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithStorageData(this IResourceBuilder<ProjectResource> storage, DataDirectory data) =>
        storage.WithEnvironment("Storage__DataDirectory", Path.Combine(data.Path, "storage"));

    /// <summary>
    /// The router reads its catalogue from <c>Pipeline:CatalogueDirectory</c> when set (relative paths from the repository
    /// root; <c>Catalogue__Path</c>), else the one it ships; it reloads when a file there changes.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithCatalogue(this IResourceBuilder<ProjectResource> router)
    {
        var builder = router.ApplicationBuilder;
        if (builder.Configuration["Pipeline:CatalogueDirectory"] is not { Length: > 0 } configured)
        {
            return router;
        }
        var path = Path.GetFullPath(Path.Combine(FindRepoRoot(builder.AppHostDirectory), configured));
        StartupBanner.Add(builder, $"catalogue (Pipeline:CatalogueDirectory): {path}");
        return router.WithEnvironment("Catalogue__Path", path);
    }

    /// <summary>The router spools final images in <c>{data}/spool</c> (<c>Router:Spool:Directory</c>) while storage is down.</summary>
    public static IResourceBuilder<ProjectResource> WithSpool(this IResourceBuilder<ProjectResource> router, DataDirectory data) =>
        router.WithEnvironment("Router__Spool__Directory", Path.Combine(data.Path, "spool"));

    /// <summary>
    /// Adds the provider emulator (resource <c>emulator</c>) when a provider key (<see cref="ProviderBinding.ParameterName"/>
    /// or <see cref="ProviderBinding.KeyVariable"/>) or the ComfyUI server (<see cref="ChunkBackendExtensions.ComfyUIUrlKey"/>)
    /// is unset; null when every one is set.
    /// </summary>
    public static IResourceBuilder<ProjectResource>? AddProviderEmulatorWhenOffline(this IDistributedApplicationBuilder builder)
    {
        var missing = ProviderBinding.All.Where(p => p.KeyConfigurationKey(builder.Configuration) is null).Select(p => p.KeyVariable).ToList();
        if (!ChunkBackendExtensions.HasComfyUI(builder.Configuration))
        {
            missing.Add(ChunkBackendExtensions.ComfyUIUrlKey);
        }
        if (missing.Count == 0)
        {
            return null;
        }
        StartupBanner.Add(builder,
            $"{string.Join(" and ", missing)} not set: those images come from the offline provider emulator. " +
            "To use the real providers, set OPENAI_API_KEY / OPENROUTER_API_KEY (or the parameters openai-api-key / openrouter-api-key), " +
            $"and {ChunkBackendExtensions.ComfyUIUrlKey} for a ComfyUI server (eco mode), and restart.");
        // No launch profile: it would run the emulator in Development on a fixed port.
        return builder.AddProject<Projects.ProviderEmulator>("emulator", launchProfileName: null)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/emulator/health");
    }

    /// <summary>
    /// With the provider's key set: a secret parameter passed as <c>{section}__ApiKey</c>. Without: <c>{section}__BaseUrl</c>
    /// points at the emulator (<c>{emulator}{emulatorPath}</c>), with a dummy key and loopback image downloads allowed.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithProvider(
        this IResourceBuilder<ProjectResource> adapter, ProviderBinding provider, IResourceBuilder<ProjectResource>? emulator)
    {
        var builder = adapter.ApplicationBuilder;
        if (provider.KeyConfigurationKey(builder.Configuration) is { } key)
        {
            var parameter = key == provider.ParameterConfigurationKey
                ? builder.AddParameter(provider.ParameterName, secret: true)
                : builder.AddParameterFromConfiguration(provider.ParameterName, key, secret: true);
            return adapter.WithEnvironment($"{provider.Section}__ApiKey", parameter);
        }
        ArgumentNullException.ThrowIfNull(emulator);
        return adapter
            .WithReference(emulator)
            .WaitFor(emulator)
            .WithEnvironment($"{provider.Section}__BaseUrl", ReferenceExpression.Create($"{emulator.GetEndpoint("http")}{provider.EmulatorPath}"))
            .WithEnvironment($"{provider.Section}__ApiKey", EmulatorApiKey)
            // The emulator answers DALL·E with URLs on its own loopback address, which adapters refuse by default.
            .WithEnvironment($"{provider.Section}__Download__AllowPrivateNetworks", "true");
    }

    /// <summary>
    /// Stable user-facing ports: <c>Gateway:HttpPort</c> (default 8080) and <c>Gateway:GrpcPort</c> (default 8081), external.
    /// Every other service gets fresh ports at each start (see <see cref="FleetDefaultsExtensions.WithFleetDefaults"/>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithGatewayPorts(this IResourceBuilder<ProjectResource> gateway)
    {
        var configuration = gateway.ApplicationBuilder.Configuration;
        return gateway
            .WithEndpoint("http", e => e.Port = int.Parse(configuration["Gateway:HttpPort"] ?? "8080", CultureInfo.InvariantCulture))
            .WithEndpoint("grpc", e => e.Port = int.Parse(configuration["Gateway:GrpcPort"] ?? "8081", CultureInfo.InvariantCulture))
            .WithAnnotation(new StablePortsAnnotation())
            .WithExternalHttpEndpoints();
    }

    /// <summary>
    /// Gives the gateway its API keys, hashed (<c>Gateway__Keys__{i}__Sha256</c>, <c>__Tenant</c>, <c>__Role</c>), never plain:
    /// first the development key of tenant <c>default</c> (<c>PIPELINE_API_KEY</c>, else a generated <c>pk-dev-…</c>, printed
    /// since nobody else knows it), then every key of <c>PIPELINE_API_KEYS</c> (<c>key-a=alpha,key-c=ops:admin</c>), printed
    /// by tenant and key id only. A malformed <c>PIPELINE_API_KEYS</c> stops the AppHost listing every bad entry.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDevelopmentApiKeys(this IResourceBuilder<ProjectResource> gateway)
    {
        var builder = gateway.ApplicationBuilder;
        var configured = builder.Configuration["PIPELINE_API_KEY"];
        var key = string.IsNullOrWhiteSpace(configured) ? GenerateApiKey() : configured.Trim();
        var tenantKeys = DevelopmentApiKeys.Parse(builder.Configuration[DevelopmentApiKeys.Variable], key);
        var development = DevelopmentApiKey.Of(key, "default");
        StartupBanner.Add(builder, string.IsNullOrWhiteSpace(configured)
            ? $"development API key of tenant default (generated; set PIPELINE_API_KEY to choose one): {key}"
            : $"development API key of tenant default: from PIPELINE_API_KEY (key id {development.Id})");
        foreach (var tenantKey in tenantKeys)
        {
            StartupBanner.Add(builder, $"API key of tenant {tenantKey.Tenant} ({tenantKey.Role}): from {DevelopmentApiKeys.Variable} (key id {tenantKey.Id})");
        }
        DevelopmentApiKey[] all = [development, .. tenantKeys];
        for (var i = 0; i < all.Length; i++)
        {
            gateway
                .WithEnvironment($"Gateway__Keys__{i}__Sha256", all[i].Sha256)
                .WithEnvironment($"Gateway__Keys__{i}__Tenant", all[i].Tenant)
                .WithEnvironment($"Gateway__Keys__{i}__Role", all[i].Role);
        }
        return gateway;
    }

    /// <summary><c>pk-dev-</c> + 32 random bytes, base64url without padding.</summary>
    internal static string GenerateApiKey() =>
        "pk-dev-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The walk up from <paramref name="start"/> to the folder holding Pipeline.sln (else the AppHost's parent).</summary>
    internal static string FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }
        return Path.GetFullPath(Path.Combine(start, ".."));
    }
}
