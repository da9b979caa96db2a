using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI.Images;
using OpenAI.Responses;
using Pipeline.Providers;

namespace OpenAI.Adapter.Sdk;

/// <summary>
/// SDK clients for one call, made with the call's key (the caller's own or the configured one). Nothing is cached, so no
/// key outlives its call. Every client sends through the adapter's provider HttpClient (HttpClient spans, no drain on
/// cancel), without the SDK's retries (the adapter retries, and only before the first frame) and without the SDK's
/// network timeout (the call's deadline and the request timeout rule).
/// </summary>
internal sealed class OpenAIClients(HttpClient http, ProviderCallContext context)
{
    public ImageClient Images(string model) => new(model, new ApiKeyCredential(context.ApiKey), Configure(new OpenAIClientOptions
    {
        Endpoint = context.Options.BaseUrl,
    }));

    public ResponsesClient Responses() => new(new ApiKeyCredential(context.ApiKey), Configure(new ResponsesClientOptions
    {
        Endpoint = context.Options.BaseUrl,
    }));

    private T Configure<T>(T options) where T : ClientPipelineOptions
    {
        options.Transport = new HttpClientPipelineTransport(http);
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
        options.NetworkTimeout = Timeout.InfiniteTimeSpan;
        options.ClientLoggingOptions = new ClientLoggingOptions { EnableLogging = false, EnableMessageLogging = false, EnableMessageContentLogging = false };
        return options;
    }
}
