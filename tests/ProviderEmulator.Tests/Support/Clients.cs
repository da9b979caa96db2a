using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using OpenAI;
using OpenAI.Images;
using OpenAI.Responses;
using ProviderEmulator.Faults;

namespace ProviderEmulator.Tests.Support;

/// <summary>Clients pointed at an emulator: the official OpenAI SDK, and plain HttpClient.</summary>
public static class Clients
{
    public const string ApiKey = "sk-emulator-test";

    public static ImageClient Images(RunningEmulator emulator, string model, string? faults = null) =>
        new(model, new ApiKeyCredential(ApiKey), OpenAIOptions(emulator, faults));

    public static ResponsesClient Responses(RunningEmulator emulator, string? faults = null)
    {
        var options = new ResponsesClientOptions { Endpoint = emulator.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = TimeSpan.FromSeconds(60) };
        if (faults is not null)
        {
            options.AddPolicy(new FaultHeaderPolicy(faults), PipelinePosition.PerCall);
        }

        return new ResponsesClient(new ApiKeyCredential(ApiKey), options);
    }

    public static HttpClient Http(RunningEmulator emulator, string? apiKey = ApiKey)
    {
        var client = new HttpClient { BaseAddress = emulator.BaseAddress, Timeout = TestTimeouts.Default };
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    private static OpenAIClientOptions OpenAIOptions(RunningEmulator emulator, string? faults)
    {
        var options = new OpenAIClientOptions { Endpoint = emulator.OpenAIEndpoint, RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = TimeSpan.FromSeconds(60) };
        if (faults is not null)
        {
            options.AddPolicy(new FaultHeaderPolicy(faults), PipelinePosition.PerCall);
        }

        return options;
    }

    /// <summary>Adds the x-emulator-fault header to every SDK request.</summary>
    private sealed class FaultHeaderPolicy(string faults) : PipelinePolicy
    {
        public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(FaultParser.HeaderName, faults);
            ProcessNext(message, pipeline, currentIndex);
        }

        public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
        {
            message.Request.Headers.Set(FaultParser.HeaderName, faults);
            await ProcessNextAsync(message, pipeline, currentIndex);
        }
    }
}
