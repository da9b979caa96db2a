using System.Diagnostics;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;
using RpcStatus = Google.Rpc.Status;

namespace Router.Service.Generation;

/// <summary>
/// The router's spans: one per generation (<c>imagegen.generate</c>) with the run id, config, provider and model, an
/// event per provider attempt and per stored image. Ids, sizes and hashes only: never prompts or image bytes.
/// </summary>
public static class GenerationDiagnostics
{
    /// <summary>The ActivitySource name (ServiceDefaults listens to every <c>Pipeline.*</c> source).</summary>
    public const string ActivitySourceName = "Pipeline.Router";

    private static readonly ActivitySource s_source = new(ActivitySourceName);

    /// <summary>Starts the span of one generation.</summary>
    public static Activity? StartGeneration(GenerationPlan plan)
    {
        var activity = s_source.StartActivity("imagegen.generate", ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }
        activity.SetTag("pipeline.run_id", plan.RunId);
        activity.SetTag("pipeline.run_id.supplied", plan.RunIdSupplied);
        activity.SetTag("pipeline.config", plan.Primary.Config.Name);
        activity.SetTag("pipeline.mode", plan.Mode);
        activity.SetTag("pipeline.tenant", plan.Call.Caller.Tenant);
        activity.SetTag("pipeline.image_count", plan.Primary.ImageCount);
        activity.SetTag("gen_ai.operation.name", "generate_content");
        SetAttempt(activity, plan.Primary);
        return activity;
    }

    /// <summary>Records the attempt now being made (the config, provider and model that answer).</summary>
    public static void SetAttempt(Activity? activity, GenerationAttempt attempt)
    {
        activity?.SetTag("pipeline.config.used", attempt.Config.Name);
        activity?.SetTag("gen_ai.provider.name", attempt.Provider);
        activity?.SetTag("gen_ai.request.model", attempt.Model);
    }

    /// <summary>Records a fallback from <paramref name="failed"/> (which ended with <paramref name="code"/>) to <paramref name="next"/>.</summary>
    public static void AddFallback(Activity? activity, GenerationAttempt failed, GenerationAttempt next, StatusCode code) =>
        activity?.AddEvent(new ActivityEvent("pipeline.fallback", tags: new ActivityTagsCollection
        {
            ["pipeline.config"] = failed.Config.Name,
            ["pipeline.config.next"] = next.Config.Name,
            ["rpc.grpc.status_code"] = (int)code,
        }));

    /// <summary>Records an image stored (or spooled).</summary>
    public static void AddImage(Activity? activity, int imageIndex, string imageId, long sizeBytes, string sha256, bool pending) =>
        activity?.AddEvent(new ActivityEvent("pipeline.image", tags: new ActivityTagsCollection
        {
            ["pipeline.image.index"] = imageIndex,
            ["pipeline.image.id"] = imageId,
            ["pipeline.image.size_bytes"] = sizeBytes,
            ["pipeline.image.sha256"] = sha256,
            ["pipeline.image.pending"] = pending,
        }));

    /// <summary>Marks the span as a replay of a stored run.</summary>
    public static void SetReplayed(Activity? activity) => activity?.SetTag("pipeline.replayed", true);

    /// <summary>Marks the span failed with <paramref name="status"/>.</summary>
    public static void SetFailed(Activity? activity, RpcStatus status)
    {
        activity?.SetTag("rpc.grpc.status_code", status.Code);
        activity?.SetStatus(ActivityStatusCode.Error, status.GetStatusCode().ToString());
    }
}
