using System.Diagnostics;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers.Internal;

/// <summary>
/// One gen_ai span per provider call (OpenTelemetry gen_ai semantic conventions), on ActivitySource "Pipeline.Providers".
/// Sizes, hashes and ids only: never base64, prompts or keys.
/// </summary>
internal static class ProviderTelemetry
{
    public const string ActivitySourceName = "Pipeline.Providers";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    public static string OperationName(Operation operation) => operation == Operation.Chat ? "chat" : "image_generation";

    public static Activity? StartCall(string provider, ProviderRequest request)
    {
        var operation = OperationName(request.Operation);
        var activity = Source.StartActivity($"{operation} {request.Model}", ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }
        activity.SetTag("gen_ai.system", provider);
        activity.SetTag("gen_ai.provider.name", provider);
        activity.SetTag("gen_ai.operation.name", operation);
        activity.SetTag("gen_ai.request.model", request.Model);
        activity.SetTag("pipeline.provider.operation", request.Operation.ToString());
        activity.SetTag("pipeline.run_id", request.RunId);
        activity.SetTag("pipeline.request.n", Math.Max(1, request.N));
        if (request.Size.Length > 0)
        {
            activity.SetTag("pipeline.request.size", request.Size);
        }
        if (request.Quality.Length > 0)
        {
            activity.SetTag("pipeline.request.quality", request.Quality);
        }
        return activity;
    }

    public static void RecordFinal(Activity? activity, FinalImage image)
    {
        if (activity is null)
        {
            return;
        }
        activity.AddEvent(new ActivityEvent("gen_ai.image", tags: new ActivityTagsCollection
        {
            ["pipeline.image.index"] = image.ImageIndex,
            ["pipeline.image.bytes"] = image.Data.Length,
            ["pipeline.image.sha256"] = image.Sha256,
            ["pipeline.image.width"] = image.Width,
            ["pipeline.image.height"] = image.Height,
            ["pipeline.image.mime_type"] = image.MimeType,
            ["pipeline.image.cost_usd_micros"] = image.CostUsdMicros,
            ["pipeline.image.cost_known"] = image.CostKnown,
        }));
    }

    public static void RecordResult(Activity? activity, IReadOnlyList<FinalImage> finals, int partials)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("pipeline.image.count", finals.Count);
        activity.SetTag("pipeline.partial.count", partials);
        if (finals.Count == 0)
        {
            return;
        }
        var usage = new Usage();
        foreach (var image in finals)
        {
            if (image.Usage is { } u)
            {
                usage.InputTokens += u.InputTokens;
                usage.OutputTokens += u.OutputTokens;
            }
        }
        activity.SetTag("gen_ai.usage.input_tokens", usage.InputTokens);
        activity.SetTag("gen_ai.usage.output_tokens", usage.OutputTokens);
        activity.SetTag("gen_ai.response.model", finals[0].Model);
        activity.SetTag("gen_ai.response.id", finals[0].ProviderRequestId);
        activity.SetTag("pipeline.cost_usd_micros", finals.Sum(f => f.CostUsdMicros));
        activity.SetTag("pipeline.cost_known", finals.All(f => f.CostKnown));
    }

    public static void RecordFailure(Activity? activity, ProviderException failure)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag("error.type", failure.Kind.ToString());
        if (failure.HttpStatus is { } status)
        {
            activity.SetTag("http.response.status_code", status);
        }
        if (failure.ProviderCode is { } code)
        {
            activity.SetTag("pipeline.provider.error_code", code);
        }
        if (failure.ProviderRequestId is { } id)
        {
            activity.SetTag("gen_ai.response.id", id);
        }
        activity.SetStatus(ActivityStatusCode.Error, failure.Kind.ToString());
    }
}
