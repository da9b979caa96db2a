using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using Pipeline.Cli.Errors;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Cli.Grpc;

/// <summary>
/// The one place that builds the channel and the headers: the gateway's gRPC client and HTTP client, each presenting the
/// API key as <c>authorization: Bearer</c>, and the caller's provider keys as <c>x-provider-key-*</c> metadata.
/// </summary>
internal sealed class GatewayConnection : IDisposable
{
    public const string DefaultGrpcUrl = "http://127.0.0.1:8081", DefaultHttpUrl = "http://127.0.0.1:8080";

    private readonly GrpcChannel _channel;
    private readonly string _apiKey;
    private readonly Uri _httpAddress;
    private HttpClient? _http;

    private GatewayConnection(Uri grpcAddress, Uri httpAddress, string apiKey, Metadata headers)
    {
        _channel = GrpcChannel.ForAddress(grpcAddress);
        _httpAddress = httpAddress;
        _apiKey = apiKey;
        Headers = headers;
        Client = new ImageGeneration.ImageGenerationClient(_channel);
    }

    public ImageGeneration.ImageGenerationClient Client { get; }

    /// <summary>Sent with every gRPC call.</summary>
    public Metadata Headers { get; }

    /// <summary>The gateway's HTTP side (<c>PIPELINE_HTTP_URL</c>), with the API key.</summary>
    public HttpClient Http => _http ??= new HttpClient
    {
        BaseAddress = _httpAddress,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", _apiKey) },
    };

    public static GatewayConnection Open(string? key, string? openAIKey, string? openRouterKey, Func<string, string?> environment)
    {
        var apiKey = NonEmpty(key) ?? NonEmpty(environment("PIPELINE_API_KEY"))
            ?? throw new CliUsageException("no API key: set PIPELINE_API_KEY or pass --key");
        var headers = new Metadata { { "authorization", $"Bearer {apiKey}" } };
        if (NonEmpty(openAIKey) is { } openAI)
        {
            headers.Add("x-provider-key-openai", openAI);
        }
        if (NonEmpty(openRouterKey) is { } openRouter)
        {
            headers.Add("x-provider-key-openrouter", openRouter);
        }
        return new GatewayConnection(Address(environment, "PIPELINE_URL", DefaultGrpcUrl), Address(environment, "PIPELINE_HTTP_URL", DefaultHttpUrl), apiKey, headers);
    }

    public void Dispose()
    {
        _http?.Dispose();
        _channel.Dispose();
    }

    private static Uri Address(Func<string, string?> environment, string variable, string fallback)
    {
        var value = NonEmpty(environment(variable)) ?? fallback;
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new CliUsageException($"{variable} is not an http(s) address: '{value}'");
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
