using System.Buffers.Binary;
using System.Collections.Frozen;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.RequestLimits;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Pipeline.Contracts.ImageGen.V1;

namespace Gateway.Proxy;

/// <summary>
/// Answers malformed gRPC calls the way a gRPC server does, before YARP forwards them: a path that names no method →
/// UNIMPLEMENTED; for <c>imagegen.v1.ImageGeneration</c>'s methods (each takes one request message) a body that is not
/// exactly one length-prefixed message, a compression flag without a <c>grpc-encoding</c>, or protobuf bytes that do
/// not parse → INVALID_ARGUMENT; a message over <see cref="GatewayOptions.MaxRequestBodyBytes"/> → RESOURCE_EXHAUSTED.
/// A sound request goes on with its bytes unchanged (a compressed message unparsed). The gateway's own gRPC services
/// (health, reflection) are left to grpc-dotnet.
/// </summary>
public sealed class GrpcRequestGuard(RequestDelegate next, GatewayOptions options, ILogger<GrpcRequestGuard> logger)
{
    private const int HeaderLength = 5;
    private const int MaxPathInMessage = 128;

    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = ImageGeneration.Descriptor;

    private static readonly FrozenDictionary<string, MethodDescriptor> Methods =
        Service.Methods.ToFrozenDictionary(m => $"/{Service.FullName}/{m.Name}", StringComparer.Ordinal);

    private static readonly string Offered = string.Join(", ", Service.Methods.Select(m => m.Name));

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsGrpcProto(context.Request) || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null)
        {
            await next(context);
            return;
        }
        var path = context.Request.Path.Value ?? "";
        if (!Methods.TryGetValue(path, out var method))
        {
            var shown = path.Length > MaxPathInMessage ? path[..MaxPathInMessage] + "…" : path;
            GatewayLog.GrpcMethodUnknown(logger, shown);
            await GrpcErrorResponse.WriteAsync(context.Response, StatusCode.Unimplemented,
                $"The gateway has no gRPC method '{shown}'; {Service.FullName} offers {Offered}.");
            return;
        }
        if (method.IsClientStreaming)
        {
            await next(context);
            return;
        }

        byte[] frame;
        try
        {
            var read = await ReadFrameAsync(context, method);
            if (read.Problem is { } problem)
            {
                GatewayLog.GrpcRequestRefused(logger, method.Name, problem.Code, problem.Kind);
                await (problem.Code == StatusCode.ResourceExhausted
                    ? RequestSizeLimitMiddleware.WriteTooLargeAsync(context, options.MaxRequestBodyBytes)
                    : GrpcErrorResponse.WriteAsync(context.Response, problem.Code, problem.Message));
                return;
            }
            frame = read.Frame;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        context.Request.Body = new MemoryStream(frame, writable: false);
        await next(context);
    }

    /// <summary><c>application/grpc</c> or <c>application/grpc+proto</c>, with or without parameters.</summary>
    private static bool IsGrpcProto(HttpRequest request)
    {
        var type = request.ContentType.AsSpan();
        if (type.IndexOf(';') is var semicolon and >= 0)
        {
            type = type[..semicolon];
        }
        type = type.Trim();
        return type.Equals("application/grpc", StringComparison.OrdinalIgnoreCase) || type.Equals("application/grpc+proto", StringComparison.OrdinalIgnoreCase);
    }

    private async Task<FrameRead> ReadFrameAsync(HttpContext context, MethodDescriptor method)
    {
        var body = context.Request.Body;
        var cancellation = context.RequestAborted;
        var header = new byte[HeaderLength];
        var got = await body.ReadAtLeastAsync(header, HeaderLength, throwOnEndOfStream: false, cancellation);
        if (got < HeaderLength)
        {
            return FrameRead.Refused(StatusCode.InvalidArgument, "no-message",
                got == 0 ? $"The request has no message; {method.Name} takes exactly one length-prefixed message."
                    : $"The request ends inside its message header ({got} of {HeaderLength} bytes).");
        }
        var compressed = header[0];
        if (compressed > 1)
        {
            return FrameRead.Refused(StatusCode.InvalidArgument, "bad-flag",
                $"The message's compression flag is {compressed}; only 0 (uncompressed) and 1 (compressed) are defined.");
        }
        var encoding = context.Request.Headers["grpc-encoding"].ToString();
        if (compressed == 1 && (encoding.Length == 0 || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            return FrameRead.Refused(StatusCode.InvalidArgument, "compressed-without-encoding",
                "The message is marked compressed, but the call names no grpc-encoding to decompress it with.");
        }
        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > options.MaxRequestBodyBytes - HeaderLength)
        {
            return FrameRead.Refused(StatusCode.ResourceExhausted, "too-large", "");
        }
        // The read below is bounded by the length just checked; the probe for trailing data reads one byte more.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = null;
        }

        var frame = new MemoryStream(HeaderLength + (int)Math.Min(length, 64 * 1024));
        frame.Write(header);
        var chunk = new byte[(int)Math.Min(Math.Max(length, 1), 64 * 1024)];
        for (var remaining = (long)length; remaining > 0;)
        {
            var read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(remaining, chunk.Length)), cancellation);
            if (read == 0)
            {
                return FrameRead.Refused(StatusCode.InvalidArgument, "incomplete",
                    $"The request ends inside its message: the length prefix says {length} bytes, {length - remaining} arrived.");
            }
            frame.Write(chunk, 0, read);
            remaining -= read;
        }
        if (await body.ReadAsync(chunk.AsMemory(0, 1), cancellation) > 0)
        {
            return FrameRead.Refused(StatusCode.InvalidArgument, "trailing-data",
                $"The request carries data after its message; {method.Name} takes exactly one message.");
        }

        var bytes = frame.ToArray();
        if (compressed == 0)
        {
            try
            {
                method.InputType.Parser.ParseFrom(bytes.AsSpan(HeaderLength));
            }
            catch (InvalidProtocolBufferException ex)
            {
                return FrameRead.Refused(StatusCode.InvalidArgument, "unparsable",
                    $"The request is not a valid {method.InputType.FullName}: {ex.Message}");
            }
        }
        return new FrameRead(bytes, null);
    }

    private sealed record Problem(StatusCode Code, string Kind, string Message);

    private readonly record struct FrameRead(byte[] Frame, Problem? Problem)
    {
        public static FrameRead Refused(StatusCode code, string kind, string message) => new([], new Problem(code, kind, message));
    }
}
