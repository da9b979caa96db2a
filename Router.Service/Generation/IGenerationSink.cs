using Pipeline.Contracts.ImageGen.V1;

namespace Router.Service.Generation;

/// <summary>Where a generation's frames go: the gRPC response stream or the HTTP server-sent events.</summary>
public interface IGenerationSink
{
    /// <summary>Sends one frame and flushes it to the caller.</summary>
    Task WriteAsync(GenerateFrame frame, CancellationToken cancellationToken);
}
