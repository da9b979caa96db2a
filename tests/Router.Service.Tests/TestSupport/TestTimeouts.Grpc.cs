using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Pipeline.Tests;

/// <summary>The router tests' addition to the shared kit.</summary>
internal static partial class TestTimeouts
{
    /// <summary>The response of a unary gRPC call, bounded like any other await.</summary>
    public static Task<T> DefaultTimeout<T>(this AsyncUnaryCall<T> call, [CallerArgumentExpression(nameof(call))] string callSite = "", [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        call.ResponseAsync.WithTimeout(Default, callSite, file, line);
}
