using Google.Rpc;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.Provider.V1;
using Grpc.Core;
using Pipeline.ServiceDefaults.Grpc;

namespace Pipeline.Providers.Internal;

/// <summary>The provider-agnostic checks of a request; every violation goes back at once as INVALID_ARGUMENT with BadRequest.</summary>
internal static class ProviderRequestValidator
{
    public static void Validate(ProviderRequest request, ProviderOptions options)
    {
        var violations = new List<BadRequest.Types.FieldViolation>();
        void Add(string field, string description) =>
            violations.Add(new BadRequest.Types.FieldViolation { Field = field, Description = description });

        if (request.Operation == Operation.Unspecified || !Enum.IsDefined(request.Operation))
        {
            Add("operation", "set the operation: OPERATION_GENERATE, OPERATION_EDIT, OPERATION_RESPONSES, OPERATION_CHAT, OPERATION_HTTP or OPERATION_WORKFLOW");
        }
        else if (request.Operation is Operation.Http && request.Chunk?.ApiConfig is null)
        {
            Add("chunk.api_config", "OPERATION_HTTP executes a chunk: send the api_output_chunk's api_config, input_mappings and output_mapping");
        }
        else if (request.Operation is Operation.Workflow && request.Chunk?.Workflow is null)
        {
            Add("chunk.workflow", "OPERATION_WORKFLOW executes a chunk: send the output_chunk's workflow, input_mappings and output_mapping");
        }
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            Add("model", "name the provider model, e.g. \"gpt-image-1\"");
        }
        if (string.IsNullOrWhiteSpace(request.Prompt))
        {
            Add("prompt", "the prompt must not be empty");
        }
        if (request.PartialImages is < 0 or > 3)
        {
            Add("partial_images", $"is {request.PartialImages}; allowed 0 to 3");
        }
        if (request.N < 0)
        {
            Add("n", $"is {request.N}; must be 0 (one image) or more");
        }
        else if (options.FindModel(request.Model) is { } model && request.ImageCount() > model.MaxN)
        {
            Add("n", $"is {request.N}; model '{model.Id}' makes at most {model.MaxN} image(s) per call");
        }
        if (request.Operation == Operation.Edit && request.InputImages.Count == 0)
        {
            Add("input_images", "an edit needs at least one input image");
        }
        for (var i = 0; i < request.InputImages.Count; i++)
        {
            CheckImage(request.InputImages[i], $"input_images[{i}]", Add);
        }
        if (request.Mask is { } mask)
        {
            CheckImage(mask, "mask", Add);
        }
        if (request.Timeout is { } timeout && timeout.ToTimeSpan() < TimeSpan.Zero)
        {
            Add("timeout", "must not be negative");
        }
        if (violations.Count == 0)
        {
            return;
        }
        var summary = string.Join("; ", violations.Select(v => $"{v.Field}: {v.Description}"));
        throw RichStatus.Create(StatusCode.InvalidArgument, $"Invalid provider request: {summary}",
            new BadRequest { FieldViolations = { violations } }).ToRpcException();
    }

    private static void CheckImage(InputImage image, string field, Action<string, string> add)
    {
        if (image.SourceCase != InputImage.SourceOneofCase.Data)
        {
            add(field, "adapters take image bytes (data); the router resolves URLs and stored image ids");
        }
        else if (image.Data.IsEmpty)
        {
            add(field, "holds no bytes");
        }
    }
}
