using Pipeline.Contracts.Common.V1;
using Pipeline.Providers;

namespace OpenRouter.Adapter.Chat;

/// <summary>What one chat completion produced: verified images (in order), text, usage and cost.</summary>
internal sealed class ChatResult
{
    public List<VerifiedImage> Images { get; } = [];

    public System.Text.StringBuilder Text { get; } = new();

    public Usage? Usage { get; set; }

    /// <summary>usage.cost in USD micros, when OpenRouter reported it.</summary>
    public long? CostUsdMicros { get; set; }

    public string? Model { get; set; }

    /// <summary>The generation id (X-Generation-Id header, else the body's id).</summary>
    public string? Id { get; set; }

    public string? FinishReason { get; set; }
}
