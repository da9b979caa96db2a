namespace Pipeline.Grpc;

/// <summary>Writes the messages of a server stream. Each write is flushed to the caller before it completes.</summary>
public interface IServerStreamWriter<in T>
{
    /// <summary>Writes and flushes one message. One write at a time.</summary>
    Task WriteAsync(T message, CancellationToken cancellationToken = default);
}
