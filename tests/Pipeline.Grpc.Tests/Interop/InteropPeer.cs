using System.Reflection;

namespace Pipeline.Grpc.Tests.Interop;

/// <summary>A real gRPC implementation the interop tests run as a child process (scripts in tests/Interop/).</summary>
public sealed record InteropPeer(string Name, string Executable, string Script)
{
    /// <summary>Debian's python3-grpcio; only the system interpreter has it (a pyenv python3 on PATH does not).</summary>
    public static InteropPeer Python { get; } = new("python-grpcio", "/usr/bin/python3", Path.Combine(Root, "python", "peer.py"));

    /// <summary>npm's @grpc/grpc-js, installed by <c>npm ci</c> in tests/Interop/node.</summary>
    public static InteropPeer Node { get; } = new("grpc-js", "node", Path.Combine(Root, "node", "peer.js"));

    /// <summary>tests/Interop/ of this checkout.</summary>
    public static string Root => typeof(InteropPeer).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "InteropRoot").Value!;

    public override string ToString() => Name;
}
