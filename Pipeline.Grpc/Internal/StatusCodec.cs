using System.Globalization;
using Google.Protobuf;

namespace Pipeline.Grpc.Internal;

/// <summary>Writes a <see cref="Status"/> as <c>grpc-status</c>, <c>grpc-message</c> and <c>grpc-status-details-bin</c>, and reads it back.</summary>
internal static class StatusCodec
{
    public static IEnumerable<KeyValuePair<string, string>> Encode(Status status)
    {
        yield return new(GrpcProtocol.StatusHeader, ((int)status.Code).ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(status.Detail))
        {
            yield return new(GrpcProtocol.MessageHeader, PercentEncoding.Encode(status.Detail));
        }
        if (status.Details.Count > 0)
        {
            var rich = new Google.Rpc.Status { Code = (int)status.Code, Message = status.Detail };
            rich.Details.AddRange(status.Details);
            yield return new(GrpcProtocol.StatusDetailsHeader, Convert.ToBase64String(rich.ToByteArray()).TrimEnd('='));
        }
    }

    /// <summary>
    /// The status from header values, or null when <paramref name="statusValue"/> is absent.
    /// An unparsable code is UNKNOWN; broken details are ignored rather than failing the call.
    /// </summary>
    public static Status? Decode(string? statusValue, string? messageValue, string? detailsValue)
    {
        if (statusValue is null)
        {
            return null;
        }
        var message = messageValue is null ? "" : PercentEncoding.Decode(messageValue);
        if (!int.TryParse(statusValue, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 0 or > 16)
        {
            return new Status(StatusCode.Unknown, $"Unparsable grpc-status '{statusValue}'. {message}".TrimEnd());
        }
        var status = new Status((StatusCode)code, message);
        if (detailsValue is not null)
        {
            try
            {
                var rich = Google.Rpc.Status.Parser.ParseFrom(MetadataCodec.DecodeBinary(detailsValue));
                status = status with { Details = [.. rich.Details] };
            }
            catch (Exception ex) when (ex is FormatException or InvalidProtocolBufferException)
            {
                // The code and message still stand; details are advisory.
            }
        }
        return status;
    }
}
