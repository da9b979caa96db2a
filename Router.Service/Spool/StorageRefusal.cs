using System.Text.Json;
using Grpc.Core;
using Router.Service.Storage;

namespace Router.Service.Spool;

/// <summary>
/// Storage's refusal of an image for good: retrying the same bytes would be refused again, so the image goes to the
/// quarantine instead of the spool. For good: INVALID_ARGUMENT (bad or over-cap bytes, <c>Storage:MaxImageBytes</c>),
/// FAILED_PRECONDITION, OUT_OF_RANGE, ALREADY_EXISTS (<see cref="StorageFailures.IsTransient"/> is false), and
/// RESOURCE_EXHAUSTED when a gRPC message size limit (storage's receive or the router's send limit) refused the message.
/// Retry later (spool): every other status, e.g. UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, UNKNOWN, DATA_LOSS,
/// UNAUTHENTICATED/PERMISSION_DENIED (a credential to fix, not an image to give up on) and any other RESOURCE_EXHAUSTED
/// (a quota or rate limit frees up).
/// </summary>
/// <param name="StatusCode">Storage's status code.</param>
/// <param name="Detail">Storage's status message.</param>
public sealed record StorageRefusal(StatusCode StatusCode, string Detail)
{
    // grpc-dotnet's wording for both directions ("Received message exceeds …", "Sending message exceeds …").
    private const string MessageSizeLimit = "exceeds the maximum configured message size";

    /// <summary>The status name as gRPC spells it, e.g. <c>INVALID_ARGUMENT</c>.</summary>
    public string Status => JsonNamingPolicy.SnakeCaseUpper.ConvertName(StatusCode.ToString());

    /// <summary>One line for the Final frame, the run record and the sidecar.</summary>
    public string Reason => $"storage refused it for good ({Status}: {Detail})";

    /// <summary>Whether <paramref name="exception"/> refuses the image for good (see the type's summary).</summary>
    public static bool IsPermanent(RpcException exception) =>
        !StorageFailures.IsTransient(exception)
        || (exception.StatusCode == StatusCode.ResourceExhausted && exception.Status.Detail.Contains(MessageSizeLimit, StringComparison.OrdinalIgnoreCase));

    /// <summary>The refusal <paramref name="exception"/> carries.</summary>
    public static StorageRefusal From(RpcException exception) => new(exception.StatusCode, exception.Status.Detail);
}
