using Pipeline.Contracts.ImageGen.V1;
using Pipeline.Grpc;
using Router.Service.Catalogue;

namespace Router.Service.Api;

/// <summary>
/// The public <c>imagegen.v1.ImageGeneration</c> service. ListConfigs serves the current catalogue; Generate and
/// GetRun answer UNIMPLEMENTED (from the base class) until the generation pipeline is built.
/// </summary>
internal sealed class ImageGenerationService(CatalogueProvider catalogue) : ImageGenerationGrpc.ImageGenerationBase
{
    public override Task<ListConfigsResponse> ListConfigs(ListConfigsRequest request, ServerCallContext context) =>
        Task.FromResult(ConfigInfoMapper.ToResponse(catalogue.Current, request.Language, request.MediaType));
}
