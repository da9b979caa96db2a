using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace Pipeline.Grpc;

/// <summary>
/// The outcome of a call: a code, a developer-facing message and optional machine-readable details
/// (google.rpc messages such as RetryInfo, ErrorInfo, BadRequest), sent in <c>grpc-status-details-bin</c>.
/// </summary>
public sealed record Status(StatusCode Code, string Detail)
{
    /// <summary>OK with no message.</summary>
    public static readonly Status Ok = new(StatusCode.OK, "");

    /// <summary>Details packed as <see cref="Any"/>; empty when there are none.</summary>
    public IReadOnlyList<Any> Details { get; init; } = [];

    /// <summary>A copy with these messages added to <see cref="Details"/>.</summary>
    public Status WithDetails(params IMessage[] details) =>
        this with { Details = [.. Details, .. details.Select(Any.Pack)] };

    /// <summary>The first detail of type <typeparamref name="T"/>, or null.</summary>
    public T? GetDetail<T>() where T : class, IMessage<T>, new()
    {
        foreach (var any in Details)
        {
            if (any.TryUnpack<T>(out var value))
            {
                return value;
            }
        }
        return null;
    }

    public override string ToString() => $"Status(StatusCode=\"{Code}\", Detail=\"{Detail}\")";
}
