using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace Pipeline.Grpc.Internal;

internal sealed class UnaryClientCall<TResponse>(GrpcChannel channel, string path, MessageParser<TResponse> parser, CallOptions options)
    : ClientCallBase(channel, path, options)
    where TResponse : class, IMessage<TResponse>
{
    public async Task<TResponse> RunAsync(IMessage request)
    {
        var reader = await StartAsync(request)
            ?? throw Fail(new Status(StatusCode.Internal, "Failed to deserialize response message: the response was Trailers-Only with OK."));
        var response = await ReadNextAsync(reader, parser);
        if (response is not null && await ReadNextAsync(reader, parser) is not null)
        {
            throw Fail(new Status(StatusCode.Internal, "Expected one response message, but the server sent more."));
        }
        FinishFromTrailers();
        return response ?? throw Fail(new Status(StatusCode.Internal, "Failed to deserialize response message: the server sent none."));
    }
}

internal sealed class ServerStreamingClientCall<TResponse>(GrpcChannel channel, string path, MessageParser<TResponse> parser, CallOptions options)
    : ClientCallBase(channel, path, options)
    where TResponse : class, IMessage<TResponse>
{
    private Task<MessageReader?>? _start;
    private int _reading;

    public void Start(IMessage request)
    {
        _start = StartAsync(request);
        _ = _start.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    public async IAsyncEnumerable<TResponse> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1)
        {
            throw new InvalidOperationException("The response stream can only be read once.");
        }
        await using var registration = cancellationToken.Register(static state => ((ServerStreamingClientCall<TResponse>)state!).Dispose(), this);
        var reader = await _start!;
        if (reader is null)
        {
            yield break;
        }
        while (await ReadNextAsync(reader, parser) is { } message)
        {
            yield return message;
        }
        FinishFromTrailers();
    }
}
