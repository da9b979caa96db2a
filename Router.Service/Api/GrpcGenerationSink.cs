using Pipeline.Contracts.ImageGen.V1;
using Grpc.Core;
using Router.Service.Generation;

namespace Router.Service.Api;

/// <summary>Sends a generation's frames on the gRPC response stream.</summary>
internal sealed class GrpcGenerationSink(IServerStreamWriter<GenerateFrame> stream) : IGenerationSink
{
    public Task WriteAsync(GenerateFrame frame, CancellationToken cancellationToken) => stream.WriteAsync(frame, cancellationToken);
}
