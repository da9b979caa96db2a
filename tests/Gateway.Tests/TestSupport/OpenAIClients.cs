using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Images;
using OpenAI.Models;

namespace Gateway.Tests.TestSupport;

/// <summary>The official OpenAI SDK pointed at the gateway, unchanged but for the endpoint, the key and no retries.</summary>
internal static class OpenAIClients
{
    public static OpenAIClientOptions Options(GatewayHost gateway) => new()
    {
        Endpoint = new Uri(gateway.HttpAddress, "/v1"),
        RetryPolicy = new ClientRetryPolicy(0),
        NetworkTimeout = TestTimeouts.Default,
    };

    public static ImageClient Images(GatewayHost gateway, string model, string apiKey = GatewayEnvironment.ApiKey) =>
        new(model, new ApiKeyCredential(apiKey), Options(gateway));

    public static OpenAIModelClient Models(GatewayHost gateway, string apiKey = GatewayEnvironment.ApiKey) =>
        new(new ApiKeyCredential(apiKey), Options(gateway));
}

/// <summary>A multipart/form-data body built like the OpenAI docs' curl examples (several <c>image[]</c> parts).</summary>
internal sealed class Multipart
{
    private readonly MultipartFormDataContent _content = new();

    public Multipart Text(string name, string value)
    {
        _content.Add(new StringContent(value), name);
        return this;
    }

    public Multipart File(string name, string fileName, byte[] data, string contentType = "image/png")
    {
        var part = new ByteArrayContent(data);
        part.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        _content.Add(part, name, fileName);
        return this;
    }

    public string ContentType => _content.Headers.ContentType!.ToString();

    public async Task<BinaryContent> BuildAsync() => BinaryContent.Create(BinaryData.FromBytes(await _content.ReadAsByteArrayAsync()));

    public HttpContent Content => _content;
}
