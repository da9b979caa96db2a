using Pipeline.ServiceDefaults.Security;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Tests.TestSupport;

/// <summary>The fake router's <c>imagegen.v1.ImageGeneration</c>: records every call, then plays the script.</summary>
internal sealed class FakeImageGenerationService(FakeRouterScript script, CallLog calls, FakeGeneration generation, StorageBackend storage)
    : ImageGeneration.ImageGenerationBase
{
    public override async Task Generate(GenerateRequest request, IServerStreamWriter<GenerateFrame> responseStream, ServerCallContext context)
    {
        calls.Add(new RecordedCall("grpc Generate", request, context.RequestHeaders.GetValue("authorization")) { Headers = RecordedCall.Of(context.RequestHeaders) });
        try
        {
            var sent = 0;
            await foreach (var frame in generation.RunAsync(request, Caller.From(context.RequestHeaders), context.CancellationToken))
            {
                await responseStream.WriteAsync(frame, context.CancellationToken);
                if (++sent == script.DieAfterFrames)
                {
                    // Written is not yet sent: Kestrel drops what a reset stream has not sent. A dying process's last
                    // frames have usually left it; give them the moment they need here too.
                    await Task.Delay(TimeSpan.FromMilliseconds(300), context.CancellationToken);
                    context.GetHttpContext().Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller is gone (cancelled, or its deadline passed): the router stops its provider call and says so.
            calls.AddGenerateCancelled(request);
        }
    }

    public override Task<ListConfigsResponse> ListConfigs(ListConfigsRequest request, ServerCallContext context)
    {
        calls.Add(new RecordedCall("grpc ListConfigs", request, context.RequestHeaders.GetValue("authorization")) { Headers = RecordedCall.Of(context.RequestHeaders) });
        return Task.FromResult(FakeCatalogue.Localize(script.Catalogue, request.Language));
    }

    public override async Task<Run> GetRun(GetRunRequest request, ServerCallContext context)
    {
        calls.Add(new RecordedCall("grpc GetRun", request, context.RequestHeaders.GetValue("authorization")) { Headers = RecordedCall.Of(context.RequestHeaders) });
        var record = await storage.Client.GetRunAsync(new Pipeline.Contracts.Storage.V1.GetRunRequest { RunId = request.RunId },
            deadline: DateTime.UtcNow + TestTimeouts.Default, cancellationToken: context.CancellationToken);
        return FakeRouterHttpApi.ToRun(record);
    }
}
