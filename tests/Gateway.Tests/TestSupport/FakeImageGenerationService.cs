using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Grpc;

namespace Gateway.Tests.TestSupport;

/// <summary>The fake router's <c>imagegen.v1.ImageGeneration</c>: records every call, then plays the script.</summary>
internal sealed class FakeImageGenerationService(FakeRouterScript script, CallLog calls, FakeGeneration generation) : ImageGenerationGrpc.ImageGenerationBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateFrame> responseStream, ServerCallContext context)
    {
        calls.Add(new RecordedCall("grpc Generate", request, context.RequestHeaders.GetValue("authorization")));
        await foreach (var frame in generation.RunAsync(request, context.CancellationToken))
        {
            await responseStream.WriteAsync(frame);
        }
    }

    public override Task<ListConfigsResponse> ListConfigs(ListConfigsRequest request, ServerCallContext context)
    {
        calls.Add(new RecordedCall("grpc ListConfigs", request, context.RequestHeaders.GetValue("authorization")));
        return Task.FromResult(FakeCatalogue.Localize(script.Catalogue, request.Language));
    }
}
