using System.Globalization;

namespace Pipeline.Grpc.Internal;

/// <summary>The <c>grpc-timeout</c> header: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
internal static class GrpcTimeout
{
    private const long MaxValue = 99_999_999;

    /// <summary>Timeouts this long or longer get no timer: CancelAfter rejects delays over about 49 days.</summary>
    public static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(24);

    /// <summary>Parses a header value; null for absent or invalid values (which mean "no deadline", as grpc-dotnet does).</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length < 2 || value.Length > 9)
        {
            return null;
        }
        if (!long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return null;
        }
        var ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * 10,
            'n' => amount / 100,
            _ => -1,
        };
        if (ticks < 0)
        {
            return null;
        }
        return TimeSpan.FromTicks(Math.Min(ticks, MaxValue * TimeSpan.TicksPerSecond));
    }

    /// <summary>
    /// Encodes a timeout as grpc-dotnet does: non-positive → <c>1n</c>; under 1000 s, milliseconds rounded up;
    /// otherwise whole seconds rounded up (capped at 8 digits).
    /// </summary>
    public static string Encode(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return "1n";
        }
        if (timeout < TimeSpan.FromSeconds(1000))
        {
            var ms = (long)Math.Ceiling(timeout.TotalMilliseconds);
            return ms % 1000 == 0
                ? (ms / 1000).ToString(CultureInfo.InvariantCulture) + "S"
                : ms.ToString(CultureInfo.InvariantCulture) + "m";
        }
        var seconds = Math.Min((long)Math.Ceiling(timeout.TotalSeconds), MaxValue);
        return seconds.ToString(CultureInfo.InvariantCulture) + "S";
    }
}
