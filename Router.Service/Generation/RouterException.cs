using System.Diagnostics.CodeAnalysis;
using Google.Rpc;
using Router.Service.Catalogue;
using StatusCode = Grpc.Core.StatusCode;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Generation;

/// <summary>
/// A request the router refuses or a generation that failed, carrying the exact status to answer with. Both edges turn
/// it into their error in one place: <see cref="RouterStatusMapper"/> (gRPC) and <c>Http.HttpProblems</c> (HTTP).
/// </summary>
public sealed class RouterException(RpcStatus status, Exception? innerException = null) : Exception(status.Message, innerException)
{
    /// <summary>The status to answer with (code, message and google.rpc details).</summary>
    public RpcStatus Status { get; } = status;

    /// <summary>INVALID_ARGUMENT naming every violation, in the message and as google.rpc.BadRequest details.</summary>
    public static RouterException Invalid(IReadOnlyCollection<ParameterViolation> violations)
    {
        var badRequest = new BadRequest();
        foreach (var violation in violations)
        {
            badRequest.FieldViolations.Add(new BadRequest.Types.FieldViolation { Field = violation.Field, Description = violation.Description });
        }
        var message = $"The request has {violations.Count} invalid field(s): {string.Join("; ", violations.Select(v => v.Description))}";
        return new RouterException(RichStatus.Create(StatusCode.InvalidArgument, message, badRequest));
    }

    /// <summary>UNAVAILABLE with <paramref name="message"/>.</summary>
    public static RouterException Unavailable(string message, Exception? inner = null) => new(RichStatus.Create(StatusCode.Unavailable, message), inner);

    /// <summary>
    /// UNAVAILABLE because storage could not be asked: "<paramref name="what"/>: storage is unavailable (CODE: detail);
    /// <paramref name="advice"/>", the prefix left out when <paramref name="what"/> is null.
    /// </summary>
    public static RouterException StorageUnavailable(string? what, Grpc.Core.RpcException cause, string advice = "retry later") =>
        Unavailable($"{(what is null ? "" : what + ": ")}storage is unavailable ({cause.StatusCode}: {cause.Status.Detail}); {advice}", cause);

    /// <summary>Throws <see cref="Invalid"/>.</summary>
    [DoesNotReturn]
    public static void ThrowInvalid(IReadOnlyCollection<ParameterViolation> violations) => throw Invalid(violations);

    /// <summary>Throws NOT_FOUND with <paramref name="message"/>.</summary>
    [DoesNotReturn]
    public static void ThrowNotFound(string message) => throw new RouterException(RichStatus.Create(StatusCode.NotFound, message));

    /// <summary>
    /// Throws FAILED_PRECONDITION naming why no config of the run can be called (each was skipped), with a
    /// google.rpc.PreconditionFailure violation per config.
    /// </summary>
    [DoesNotReturn]
    public static void ThrowNoUsableConfig(IReadOnlyList<PlannedAttempt> attempts)
    {
        var failure = new PreconditionFailure();
        foreach (var attempt in attempts)
        {
            failure.Violations.Add(new PreconditionFailure.Types.Violation { Type = "CONFIG_SKIPPED", Subject = attempt.Config.Name, Description = attempt.SkipReason ?? "" });
        }
        var message = "No config of this request can be called: " + string.Join("; ", attempts.Select(a => $"{a.Config.Name}: {a.SkipReason}"));
        throw new RouterException(RichStatus.Create(StatusCode.FailedPrecondition, message, failure));
    }

    /// <summary>Throws INTERNAL with <paramref name="message"/>.</summary>
    [DoesNotReturn]
    public static void ThrowInternal(string message) => throw new RouterException(RichStatus.Create(StatusCode.Internal, message));
}
