using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Declarative.Adapter.Chunks;
using Declarative.Adapter.Json;
using Declarative.Adapter.Templates;

namespace Declarative.Adapter.Http;

/// <summary>The HTTP requests of a prepared call: the create request (body per body_format), status polls and the cancel.</summary>
internal static class ChunkRequests
{
    public static HttpRequestMessage Create(PreparedCall call)
    {
        var request = new HttpRequestMessage(call.Chunk.Method, call.Endpoint);
        if (call.Chunk.Method == HttpMethod.Post)
        {
            request.Content = call.Chunk.BodyFormat == BodyFormat.Multipart ? Multipart(call.Body) : Json(call.Body);
        }
        AddHeaders(request, call);
        return request;
    }

    /// <summary>GET of an async job's status URL, with the call's headers.</summary>
    public static HttpRequestMessage Poll(PreparedCall call, Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        AddHeaders(request, call);
        return request;
    }

    /// <summary>POST of an async job's cancel URL, with the call's headers and no body.</summary>
    public static HttpRequestMessage Cancel(PreparedCall call, Uri url)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        AddHeaders(request, call);
        return request;
    }

    /// <summary>The chunk's headers; Content-Type is the body format's to set (a multipart boundary must not be overwritten).</summary>
    private static void AddHeaders(HttpRequestMessage request, PreparedCall call)
    {
        foreach (var (name, value) in call.Headers)
        {
            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            if (name.Equals("Accept", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Accept.Clear();
            }
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static StringContent Json(JsonObject body) =>
        new(body.ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    /// <summary>Each top-level field one form part: strings as text, numbers and booleans as their JSON text; nulls left out.</summary>
    private static MultipartFormDataContent Multipart(JsonObject body)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, value) in body)
        {
            if (value is null)
            {
                continue;
            }
            var text = value is JsonValue ? JsonPath.AsText(value)! : value.ToJsonString();
            var part = new StringContent(text, Encoding.UTF8);
            part.Headers.ContentType = null;
            form.Add(part, name);
        }
        return form;
    }
}
