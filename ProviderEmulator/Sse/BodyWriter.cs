using Microsoft.AspNetCore.Http.Features;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.Sse;

/// <summary>Writes response bytes, honouring the trickle fault (small chunks with pauses) and flushing.</summary>
internal static class BodyWriter
{
    private static readonly TimeSpan CutGrace = TimeSpan.FromMilliseconds(200);

    public static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> bytes)
    {
        var faults = EmulatorRequest.Get(context).Faults;
        var token = context.RequestAborted;
        if (!faults.IsTrickle)
        {
            await context.Response.Body.WriteAsync(bytes, token);
            await context.Response.Body.FlushAsync(token);
            return;
        }

        for (var offset = 0; offset < bytes.Length; offset += faults.TrickleBytes)
        {
            var length = Math.Min(faults.TrickleBytes, bytes.Length - offset);
            await context.Response.Body.WriteAsync(bytes.Slice(offset, length), token);
            await context.Response.Body.FlushAsync(token);
            if (offset + length < bytes.Length)
            {
                await Task.Delay(faults.TrickleInterval, token);
            }
        }
    }

    /// <summary>Drops the connection without a terminal event or a complete body (fault <c>cut-stream</c>).</summary>
    public static async Task CutAsync(HttpContext context)
    {
        await context.Response.Body.FlushAsync(context.RequestAborted);

        // Let the bytes already sent reach the client before the reset, as a real dropped connection would.
        await Task.Delay(CutGrace, context.RequestAborted);
        EmulatorRequest.Get(context).CutByEmulator = true;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Abort();
    }
}
