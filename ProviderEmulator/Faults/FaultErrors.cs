using System.Text.Json.Nodes;
using ProviderEmulator.Hosting;
using ProviderEmulator.Replicate;
using ProviderEmulator.Stability;

namespace ProviderEmulator.Faults;

/// <summary>The errors each provider sends for the injected faults.</summary>
internal static class FaultErrors
{
    public static ApiError RateLimit(ApiFamily family, int retryAfterSeconds)
    {
        if (family is ApiFamily.Stability or ApiFamily.Replicate)
        {
            return family == ApiFamily.Stability ? StabilityErrors.RateLimit(retryAfterSeconds) : ReplicateErrors.RateLimit(retryAfterSeconds);
        }

        if (family == ApiFamily.OpenRouter)
        {
            var reset = DateTimeOffset.UtcNow.AddSeconds(retryAfterSeconds).ToUnixTimeMilliseconds();
            return new ApiError(429, "Rate limit exceeded: free-models-per-min. ")
            {
                Metadata = new JsonObject
                {
                    ["headers"] = new JsonObject
                    {
                        ["X-RateLimit-Limit"] = "20",
                        ["X-RateLimit-Remaining"] = "0",
                        ["X-RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                    ["error_type"] = "rate_limit_exceeded",
                },
                Headers = new Dictionary<string, string>
                {
                    ["X-RateLimit-Limit"] = "20",
                    ["X-RateLimit-Remaining"] = "0",
                    ["X-RateLimit-Reset"] = reset.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Retry-After"] = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            };
        }

        var seconds = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ApiError(
            429,
            $"Rate limit reached for gpt-image-1 in organization org-emulator on images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in {seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.",
            Type: "requests",
            Code: "rate_limit_exceeded")
        {
            Headers = new Dictionary<string, string>
            {
                ["retry-after"] = seconds,
                ["retry-after-ms"] = (retryAfterSeconds * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["x-ratelimit-limit-requests"] = "5",
                ["x-ratelimit-remaining-requests"] = "0",
                ["x-ratelimit-reset-requests"] = $"{seconds}s",
                ["x-ratelimit-limit-tokens"] = "100000",
                ["x-ratelimit-remaining-tokens"] = "100000",
                ["x-ratelimit-reset-tokens"] = "0s",
            },
        };
    }

    public static ApiError InsufficientQuota(ApiFamily family) => family is ApiFamily.Stability or ApiFamily.Replicate
        ? Status(family, 402)
        : family == ApiFamily.OpenRouter
        ? new ApiError(402, "Insufficient credits. Add more using https://openrouter.ai/settings/credits")
        : new ApiError(
            429,
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
            Type: "insufficient_quota",
            Code: "insufficient_quota");

    public static ApiError Status(ApiFamily family, int status)
    {
        if (family is ApiFamily.Stability or ApiFamily.Replicate)
        {
            return family == ApiFamily.Stability ? StabilityErrors.Status(status) : ReplicateErrors.Status(status);
        }

        if (family == ApiFamily.OpenRouter)
        {
            return status switch
            {
                502 => new ApiError(502, "Provider returned error") { Metadata = new JsonObject { ["provider_name"] = "Google AI Studio", ["error_type"] = "provider_unavailable" } },
                503 => new ApiError(503, "No allowed providers are available for the selected model.", Type: "service_unavailable") { Headers = new Dictionary<string, string> { ["Retry-After"] = "1" } },
                _ => new ApiError(status, $"Emulated error {status}") { Metadata = new JsonObject { ["error_type"] = "server" } },
            };
        }

        return status switch
        {
            500 => new ApiError(500, "The server had an error while processing your request. Sorry about that!", Type: "server_error"),
            502 => new ApiError(502, "Bad gateway.", Type: "server_error"),
            503 => new ApiError(503, "The server is overloaded or not ready yet.", Type: "service_unavailable_error", Code: "server_is_overloaded"),
            504 => new ApiError(504, "Gateway timeout.", Type: "server_error"),
            401 => new ApiError(401, "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.", Code: "invalid_api_key"),
            403 => new ApiError(403, "Your organization must be verified to use the model `gpt-image-1`. Please go to: https://platform.openai.com/settings/organization/general and click on Verify Organization."),
            404 => new ApiError(404, "The model does not exist or you do not have access to it.", Code: "model_not_found"),
            _ => new ApiError(status, $"Emulated error {status}.", Type: status >= 500 ? "server_error" : "invalid_request_error"),
        };
    }

    /// <summary>GPT image models' safety-system rejection (400 moderation_blocked), or dall-e's content_policy_violation.</summary>
    public static ApiError ContentPolicyOpenAI(bool dallE) => dallE
        ? new ApiError(
            400,
            "Your request was rejected as a result of our safety system. Your prompt may contain text that is not allowed by our safety system.",
            Code: "content_policy_violation")
        : new ApiError(
            400,
            "Your request was rejected by the safety system. If you believe this is an error, contact us at help.openai.com and include the request ID.",
            Type: "image_generation_user_error",
            Code: "moderation_blocked")
        {
            Extra = new JsonObject
            {
                ["moderation_details"] = new JsonObject { ["moderation_stage"] = "input", ["categories"] = new JsonArray("violence") },
            },
        };

    public static ApiError ContentPolicyOpenRouter(string model, string prompt) =>
        new(403, $"{model} requires moderation on Google AI Studio. Your input was flagged for \"violence\". No credits were charged.")
        {
            Metadata = new JsonObject
            {
                ["reasons"] = new JsonArray("violence"),
                ["flagged_input"] = prompt.Length > 100 ? prompt[..100] + "..." : prompt,
                ["provider_name"] = "Google AI Studio",
                ["model_slug"] = model,
            },
        };
}
