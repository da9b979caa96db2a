using System.Text;
using System.Text.Json.Nodes;
using ProviderEmulator.Replicate;
using ProviderEmulator.Stability;

namespace ProviderEmulator.Hosting;

/// <summary>Renders an <see cref="ApiError"/> as the OpenAI or OpenRouter error envelope.</summary>
internal static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext context, ApiError error, ApiFamily family)
    {
        var response = context.Response;
        response.StatusCode = error.Status;
        foreach (var (name, value) in error.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        if (error.Status == StatusCodes.Status401Unauthorized && family == ApiFamily.OpenAI)
        {
            response.Headers.WWWAuthenticate = "Bearer realm=\"OpenAI API\"";
        }

        response.ContentType = family == ApiFamily.Replicate ? "application/problem+json" : "application/json; charset=utf-8";
        var envelope = family switch
        {
            ApiFamily.Stability => StabilityErrors.Envelope(error, EmulatorRequest.Get(context).Id),
            ApiFamily.Replicate => ReplicateErrors.Envelope(error),
            _ => Envelope(error, family),
        };
        var body = Encoding.UTF8.GetBytes(EmulatorJson.Serialize(envelope));
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>The envelope object; OpenAI <c>{"error":{message,type,param,code}}</c>, OpenRouter <c>{"error":{code,message,metadata}}</c>.</summary>
    public static JsonObject Envelope(ApiError error, ApiFamily family)
    {
        JsonObject inner;
        if (family == ApiFamily.OpenRouter)
        {
            inner = new JsonObject { ["code"] = error.Status, ["message"] = error.Message };
            if (error.Metadata is not null)
            {
                inner["metadata"] = error.Metadata.DeepClone();
            }
        }
        else
        {
            inner = OpenAIErrorObject(error);
        }

        return new JsonObject { ["error"] = inner };
    }

    /// <summary>The four OpenAI error keys (plus extras), as used inside envelopes and stream error events.</summary>
    public static JsonObject OpenAIErrorObject(ApiError error)
    {
        var inner = new JsonObject
        {
            ["message"] = error.Message,
            ["type"] = error.Type,
            ["param"] = error.Param,
            ["code"] = error.Code,
        };
        foreach (var (key, value) in error.Extra ?? [])
        {
            inner[key] = value?.DeepClone();
        }

        return inner;
    }
}
