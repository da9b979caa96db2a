using Microsoft.Extensions.DependencyInjection.Extensions;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>Registers the generation pipeline.</summary>
public static class GenerationExtensions
{
    /// <summary>
    /// Adds <see cref="GenerationOptions"/> (section <c>Router:Generation</c>, validated on start), the storage client,
    /// the adapter clients, the pipeline, and the router's exception mapper and request size in the gRPC server.
    /// </summary>
    public static IHostApplicationBuilder AddGeneration(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GenerationOptions>()
            .Bind(builder.Configuration.GetSection(GenerationOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<GenerationOptions>, GenerationOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddServiceGrpcClient<Pipeline.Contracts.Storage.V1.Storage.StorageClient>(
            sp => sp.GetRequiredService<IOptions<GenerationOptions>>().Value.StorageService, RunStore.MaxMessageBytes);
        services.AddSingleton<RunStore>();
        services.AddSingleton<RunQueries>();
        AdapterClients.Register(services);
        services.AddSingleton<InputImageResolver>();
        services.AddSingleton<GenerationPreparer>();
        services.AddSingleton<RegenerationResolver>();
        services.AddSingleton<RunLocks>();
        services.AddSingleton<RunReplayer>();
        services.AddSingleton<RunClaims>();
        services.AddSingleton<BudgetGuard>();
        services.AddSingleton<FinalImageWriter>();
        services.AddSingleton<GridPostProcessor>();
        services.AddSingleton<GenerationRunner>();
        services.AddSingleton(sp => new GenerationPipeline(
            sp.GetRequiredService<GenerationPreparer>(), sp.GetRequiredService<RegenerationResolver>(), sp.GetRequiredService<RunLocks>(), sp.GetRequiredService<RunClaims>(),
            sp.GetRequiredService<RunReplayer>(), sp.GetRequiredService<GenerationRunner>(), sp.GetRequiredService<TimeProvider>()));
        services.AddRpcExceptionMapper(RouterStatusMapper.Map);
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<GenerationOptions>>((grpc, generation) =>
            grpc.MaxReceiveMessageSize = generation.Value.MaxRequestBytes);
        return builder;
    }
}
