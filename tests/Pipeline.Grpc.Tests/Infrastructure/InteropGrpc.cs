using Google.Protobuf.Reflection;
using Pipeline.Grpc.Tests.Interop.V1;

namespace Pipeline.Grpc.Tests.Infrastructure;

/// <summary>The methods, binding and client of <c>interop.v1.Interop</c>, written the way protos/ binds its services.</summary>
public static class InteropGrpc
{
    public static ServiceDescriptor Descriptor => InteropReflection.Descriptor.Services[0];

    public static readonly Method<EchoRequest, EchoResponse> Echo = Method<EchoRequest, EchoResponse>.From(Descriptor, nameof(Echo));
    public static readonly Method<StreamRequest, StreamResponse> Stream = Method<StreamRequest, StreamResponse>.From(Descriptor, nameof(Stream));
    public static readonly Method<FailRequest, EchoResponse> Fail = Method<FailRequest, EchoResponse>.From(Descriptor, nameof(Fail));
    public static readonly Method<WaitRequest, StreamResponse> WaitForCancel = Method<WaitRequest, StreamResponse>.From(Descriptor, nameof(WaitForCancel));
    public static readonly Method<WaitRequest, CancelReport> GetCancelled = Method<WaitRequest, CancelReport>.From(Descriptor, nameof(GetCancelled));

    public static readonly Method<EchoRequest, EchoResponse> Unbound = Method<EchoRequest, EchoResponse>.From(Descriptor, nameof(Unbound));
    public static readonly Method<EchoRequest, EchoResponse> UnservedCall = Method<EchoRequest, EchoResponse>.From(InteropReflection.Descriptor.Services[1], "Call");

    public static GrpcServiceDefinition<InteropService> BindService() =>
        new GrpcServiceDefinition<InteropService>(Descriptor)
            .Unary(Echo, (s, r, c) => s.Echo(r, c))
            .ServerStreaming(Stream, (s, r, w, c) => s.Stream(r, w, c))
            .Unary(Fail, (s, r, c) => s.Fail(r, c))
            .ServerStreaming(WaitForCancel, (s, r, w, c) => s.WaitForCancel(r, w, c))
            .Unary(GetCancelled, (s, r, c) => s.GetCancelled(r, c));
}
