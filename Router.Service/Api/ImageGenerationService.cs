using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Router.Service.Catalogue;
using Router.Service.Generation;
using Router.Service.Storage;

namespace Router.Service.Api;

/// <summary>
/// The public <c>imagegen.v1.ImageGeneration</c> service: Generate through the <see cref="GenerationPipeline"/> (the
/// call's deadline and cancellation reach the adapter), Regenerate (the same, from an earlier run), ListConfigs from the
/// current catalogue, GetRun and ListRuns from storage (scoped to the caller's tenant).
/// Failures are <see cref="RouterException"/>s, turned into statuses by <see cref="RouterStatusMapper"/>.
/// </summary>
internal sealed class ImageGenerationService(CatalogueProvider catalogue, ProviderPriceList prices, GenerationPipeline pipeline, RunQueries runs)
    : ImageGeneration.ImageGenerationBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateFrame> responseStream, ServerCallContext context)
    {
        var plan = await pipeline.PrepareAsync(request, CallContext.From(context.RequestHeaders), context.CancellationToken);
        await pipeline.RunAsync(plan, new GrpcGenerationSink(responseStream), context.Deadline, context.CancellationToken);
    }

    public override async Task<ListConfigsResponse> ListConfigs(ListConfigsRequest request, ServerCallContext context)
    {
        var snapshot = catalogue.Current;
        var estimate = await prices.EstimatorAsync(snapshot.Configs.Values, context.CancellationToken);
        return ConfigInfoMapper.ToResponse(snapshot, request.Language, request.MediaType, estimate);
    }

    public override Task<Run> GetRun(GetRunRequest request, ServerCallContext context) =>
        runs.GetAsync(request.RunId, CallContext.From(context.RequestHeaders).Caller, context.CancellationToken);

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context) =>
        runs.ListAsync(request, CallContext.From(context.RequestHeaders).Caller, context.CancellationToken);

    public override async Task Regenerate(RegenerateRequest request, IServerStreamWriter<GenerateFrame> responseStream, ServerCallContext context)
    {
        var plan = await pipeline.PrepareRegenerateAsync(request, CallContext.From(context.RequestHeaders), context.CancellationToken);
        await pipeline.RunAsync(plan, new GrpcGenerationSink(responseStream), context.Deadline, context.CancellationToken);
    }
}
