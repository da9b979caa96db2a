using Google.Protobuf.WellKnownTypes;
using Pipeline.Contracts.Provider.V1;
using Router.Service.Catalogue;

namespace Router.Service.Generation;

/// <summary>Builds the adapter's <see cref="ProviderRequest"/> for one attempt.</summary>
public static class ProviderRequestFactory
{
    /// <summary>The request for <paramref name="attempt"/>, which may take <paramref name="timeout"/> in all.</summary>
    public static ProviderRequest Create(GenerationPlan plan, GenerationAttempt attempt, TimeSpan timeout)
    {
        var parameters = attempt.Parameters;
        var request = new ProviderRequest
        {
            Operation = OperationOf(attempt.Config.Chunk.Operation),
            Model = attempt.Model,
            Prompt = attempt.Prompt,
            Size = parameters.Size ?? "",
            Quality = parameters.Quality ?? "",
            N = attempt.ImageCount,
            OutputFormat = parameters.OutputFormat ?? "",
            Background = parameters.Background ?? "",
            PartialImages = parameters.PartialImages ?? 0,
            OutputCompression = parameters.OutputCompression ?? 0,
            Mask = plan.Mask,
            Timeout = Duration.FromTimeSpan(timeout),
            RunId = plan.RunId,
            Chunk = attempt.Config.Chunk.Call?.Clone(),
        };
        request.InputImages.AddRange(plan.InputImages);
        var extra = ParameterMapping.ExtrasToStruct(parameters);
        if (extra.Fields.Count > 0)
        {
            request.Extra = extra;
        }
        return request;
    }

    /// <summary>The contract's operation of a chunk's.</summary>
    public static Operation OperationOf(ChunkOperation operation) => operation switch
    {
        ChunkOperation.Generate => Operation.Generate,
        ChunkOperation.Edit => Operation.Edit,
        ChunkOperation.Responses => Operation.Responses,
        ChunkOperation.Chat => Operation.Chat,
        ChunkOperation.Http => Operation.Http,
        ChunkOperation.Workflow => Operation.Workflow,
        _ => Operation.Unspecified,
    };
}
