using System.Text.RegularExpressions;
using Grpc.Core;

namespace Pipeline.Reliability.Faults;

/// <summary>gRPC status codes as the protocol spells them (RESOURCE_EXHAUSTED, not ResourceExhausted).</summary>
internal static partial class StatusNames
{
    public static string Of(StatusCode status) => status == StatusCode.OK ? "OK" : WordStart().Replace(status.ToString(), "_$1").ToUpperInvariant();

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordStart();
}
