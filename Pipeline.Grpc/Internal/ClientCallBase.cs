using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace Pipeline.Grpc.Internal;

/// <summary>
/// One client call over HTTP/2: sends the request, validates the response headers, reads messages, and ends with
/// exactly one status — from the headers (Trailers-Only), the trailers, or synthesized when none arrived.
/// </summary>
internal abstract class ClientCallBase : IDisposable
{
    private static readonly MediaTypeHeaderValue s_grpcContentType = new(GrpcProtocol.ContentType);

    private readonly GrpcChannel _channel;
    private readonly CallOptions _options;
    private readonly CancellationTokenSource _cts;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _service;
    private readonly string _method;
    private HttpResponseMessage? _response;
    private Activity? _activity;
    private Status? _status;
    private Metadata? _trailers;

    protected ClientCallBase(GrpcChannel channel, string path, CallOptions options)
    {
        _channel = channel;
        _options = options;
        Path = path;
        var slash = path.LastIndexOf('/');
        _service = path[1..slash];
        _method = path[(slash + 1)..];
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            // A timer of its own, so an expiry is known as such: timers run on a coarse clock and may fire a few
            // milliseconds before DateTime.UtcNow reaches the deadline. Deadlines weeks away need no timer (and
            // CancelAfter rejects them).
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            _deadlineCts = new CancellationTokenSource();
            if (remaining <= TimeSpan.Zero)
            {
                _deadlineCts.Cancel();
            }
            else if (remaining < GrpcTimeout.MaxTimerDelay)
            {
                _deadlineCts.CancelAfter(remaining);
            }
        }
        _cts = _deadlineCts is null
            ? CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(options.CancellationToken, _deadlineCts.Token);
        // A cancel or an expired deadline resets the HTTP/2 stream at once, not at the next read: the server learns of
        // it while the caller may not be reading.
        _cts.Token.UnsafeRegister(static state => ((ClientCallBase)state!)._response?.Dispose(), this);
        _ = _headers.Task.ContinueWith(static t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    protected string Path { get; }

    protected CancellationToken CallToken => _cts.Token;

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public Status GetStatus() => _status ?? throw new InvalidOperationException("Unable to get the status because the call is not complete.");

    public Metadata GetTrailers() => _trailers ?? throw new InvalidOperationException("Can't get the call trailers because the call has not completed successfully.");

    /// <summary>Sends the request; returns a reader over the response messages, or null for an OK Trailers-Only response.</summary>
    protected async Task<MessageReader?> StartAsync(IMessage request)
    {
        StartActivity();
        HttpResponseMessage response;
        try
        {
            using var httpRequest = CreateRequest(request);
            response = await _channel.Invoker.SendAsync(httpRequest, _cts.Token);
        }
        catch (Exception ex)
        {
            throw Fail(ToStatus(ex, "Error starting gRPC call"));
        }
        _response = response;

        var headerStatus = StatusCodec.Decode(
            Single(response.Headers, GrpcProtocol.StatusHeader),
            Single(response.Headers, GrpcProtocol.MessageHeader),
            Single(response.Headers, GrpcProtocol.StatusDetailsHeader));
        if (headerStatus is not null)
        {
            var trailers = MetadataCodec.ReadHeaders(response.Headers, response.Content.Headers);
            _headers.TrySetResult(trailers);
            Complete(headerStatus, trailers);
            if (headerStatus.Code != StatusCode.OK)
            {
                throw new RpcException(headerStatus, trailers);
            }
            return null;
        }
        if (response.Version < HttpVersion.Version20)
        {
            throw Fail(new Status(StatusCode.Internal, "Bad gRPC response. Response protocol downgraded to HTTP/1.1."));
        }
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw Fail(new Status(HttpStatusMapping.FromHttpStatus(response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}"));
        }
        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            throw Fail(new Status(StatusCode.Unknown, $"Bad gRPC response. Invalid content-type value: {contentType}"));
        }
        _headers.TrySetResult(MetadataCodec.ReadHeaders(response.Headers, response.Content.Headers));
        var body = await response.Content.ReadAsStreamAsync(_cts.Token);
        var encoding = Single(response.Headers, GrpcProtocol.EncodingHeader);
        return new MessageReader(PipeReader.Create(body), _channel.Options.MaxReceiveMessageSize, encoding);
    }

    /// <summary>The next message; null at the end of the stream. Failures end the call and throw its status.</summary>
    protected async Task<T?> ReadNextAsync<T>(MessageReader reader, MessageParser<T> parser) where T : class, IMessage<T>
    {
        try
        {
            return await reader.ReadAsync(parser, _cts.Token);
        }
        catch (Exception ex)
        {
            throw Fail(ToStatus(ex, "Error reading next message"));
        }
    }

    /// <summary>Reads the status from the trailers (the body has ended); throws it when it is not OK.</summary>
    protected void FinishFromTrailers()
    {
        var trailers = _response!.TrailingHeaders;
        var status = StatusCodec.Decode(
            Single(trailers, GrpcProtocol.StatusHeader),
            Single(trailers, GrpcProtocol.MessageHeader),
            Single(trailers, GrpcProtocol.StatusDetailsHeader))
            ?? new Status(StatusCode.Internal, "No grpc-status found on response.");
        var metadata = MetadataCodec.ReadHeaders(trailers);
        Complete(status, metadata);
        if (status.Code != StatusCode.OK)
        {
            throw new RpcException(status, metadata);
        }
    }

    /// <summary>Ends the call with <paramref name="status"/> (resetting the stream) and returns the exception to throw.</summary>
    protected RpcException Fail(Status status)
    {
        var trailers = _trailers ?? new Metadata();
        Complete(status, trailers);
        _cts.Cancel();
        _response?.Dispose();
        return new RpcException(status, trailers);
    }

    public void Dispose()
    {
        if (_status is null)
        {
            Complete(new Status(StatusCode.Cancelled, "Call canceled by the client."), new Metadata());
            _cts.Cancel();
        }
        _response?.Dispose();
    }

    private void Complete(Status status, Metadata trailers)
    {
        if (_status is not null)
        {
            return;
        }
        _status = status;
        _trailers = trailers;
        // Release the deadline timer of a finished call.
        _deadlineCts?.CancelAfter(Timeout.InfiniteTimeSpan);
        _headers.TrySetException(new RpcException(status, trailers));
        GrpcDiagnostics.SetStatus(_activity, status, isServer: false);
        _activity?.Dispose();
        _activity = null;
    }

    private Status ToStatus(Exception exception, string what)
    {
        if (exception is RpcException rpc)
        {
            return rpc.Status;
        }
        var deadlinePassed = _deadlineCts?.IsCancellationRequested == true
            || (_options.Deadline is { } deadline && deadline.ToUniversalTime() <= DateTime.UtcNow);
        // After a cancel the reset stream fails reads in several ways (disposed, aborted); the cause is the cancel.
        if (exception is OperationCanceledException || (_cts.IsCancellationRequested && exception is ObjectDisposedException or IOException or HttpRequestException))
        {
            return deadlinePassed ? new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded")
                : new Status(StatusCode.Cancelled, "Call canceled by the client.");
        }
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException protocol)
            {
                var code = HttpStatusMapping.FromHttp2ErrorCode(protocol.ErrorCode);
                if (code == StatusCode.Cancelled && deadlinePassed)
                {
                    return new Status(StatusCode.DeadlineExceeded, "Deadline Exceeded");
                }
                return new Status(code, $"{what}. {protocol.GetType().Name}: {protocol.Message}");
            }
        }
        if (exception is HttpRequestException or IOException or System.Net.Sockets.SocketException)
        {
            return new Status(StatusCode.Unavailable, $"{what}. {exception.GetType().Name}: {exception.Message}");
        }
        return new Status(StatusCode.Internal, $"{what}. {exception.GetType().Name}: {exception.Message}");
    }

    private HttpRequestMessage CreateRequest(IMessage message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(GrpcFrame.ToArray(message, _channel.Options.MaxSendMessageSize)),
        };
        request.Content.Headers.ContentType = s_grpcContentType;
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation("user-agent", GrpcProtocol.UserAgent);
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Encode(deadline.ToUniversalTime() - DateTime.UtcNow));
        }
        if (_options.Headers is { } metadata)
        {
            MetadataCodec.WriteHeaders(metadata, headers);
        }
        if ((_activity ?? Activity.Current) is { } activity && !headers.Contains("traceparent"))
        {
            DistributedContextPropagator.Current.Inject(activity, request,
                static (carrier, name, value) => ((HttpRequestMessage)carrier!).Headers.TryAddWithoutValidation(name, value));
        }
        return request;
    }

    private void StartActivity()
    {
        _activity = GrpcDiagnostics.Source.StartActivity($"{_service}/{_method}", ActivityKind.Client);
        if (_activity is not null)
        {
            GrpcDiagnostics.SetRpcTags(_activity, _service, _method);
            _activity.SetTag("server.address", _channel.Address.Host);
            _activity.SetTag("server.port", _channel.Address.Port);
        }
    }

    private static string? Single(HttpHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
