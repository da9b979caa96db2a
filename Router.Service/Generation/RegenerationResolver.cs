using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Pipeline.Contracts.ImageGen.V1;
using Pipeline.ServiceDefaults.Grpc;
using Pipeline.ServiceDefaults.Security;
using Router.Service.Catalogue;
using Router.Service.Storage;

namespace Router.Service.Generation;

/// <summary>
/// Turns a Regenerate into the Generate it stands for: the parent run's config (the one that served it), its prompt
/// (or the new one) and its effective parameters, with the request's overrides on top. The parent must be the caller's
/// (else NOT_FOUND, as for an unknown run) and must not have used input images, which are not kept (FAILED_PRECONDITION).
/// </summary>
internal sealed class RegenerationResolver(RunStore store)
{
    public async Task<GenerateRequest> ResolveAsync(RegenerateRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var problem = request.RunId.Length == 0 ? "run_id is required: the run to regenerate" : RunIds.Check(request.RunId);
        if (problem is not null)
        {
            RouterException.ThrowInvalid([new ParameterViolation("run_id", problem)]);
        }
        Pipeline.Contracts.Storage.V1.RunRecord? parent;
        try
        {
            parent = await store.FindRunAsync(request.RunId, caller, cancellationToken);
        }
        catch (RpcException ex) when (StorageFailures.IsTransient(ex) && ex.StatusCode != StatusCode.Cancelled)
        {
            throw RouterException.StorageUnavailable($"run '{request.RunId}' cannot be read", ex);
        }
        if (parent is null)
        {
            RouterException.ThrowNotFound($"run '{request.RunId}' does not exist");
        }
        if (RequestDigest.UsedInputImages(parent.RequestDigest))
        {
            throw new RouterException(RichStatus.Create(StatusCode.FailedPrecondition,
                $"run '{request.RunId}' edited input images, which are not kept; send a Generate with the images instead"));
        }
        var parameters = FromEffective(parent.Parameters);
        if (request.Parameters is { } overrides)
        {
            parameters.MergeFrom(overrides);
        }
        return new GenerateRequest
        {
            Prompt = request.HasPrompt ? request.Prompt : parent.Prompt,
            Config = parent.Config,
            RunId = request.NewRunId,
            Parameters = parameters,
            IncludeImageData = request.IncludeImageData,
        };
    }

    /// <summary>A run's effective parameters (snake_case names, extras inline) as a request's parameters.</summary>
    private static GenerationParameters FromEffective(Struct? effective)
    {
        var parameters = new GenerationParameters();
        foreach (var (name, value) in effective?.Fields ?? [])
        {
            switch (name)
            {
                case "size": parameters.Size = value.StringValue; break;
                case "quality": parameters.Quality = value.StringValue; break;
                case "n": parameters.N = (int)value.NumberValue; break;
                case "output_format": parameters.OutputFormat = value.StringValue; break;
                case "background": parameters.Background = value.StringValue; break;
                case "partial_images": parameters.PartialImages = (int)value.NumberValue; break;
                case "output_compression": parameters.OutputCompression = (int)value.NumberValue; break;
                case "seed": parameters.Seed = (long)value.NumberValue; break;
                default: parameters.Extra[name] = value.Clone(); break;
            }
        }
        return parameters;
    }
}
