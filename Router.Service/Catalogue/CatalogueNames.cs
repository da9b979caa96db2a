namespace Router.Service.Catalogue;

/// <summary>The provider adapter a chunk is served by.</summary>
public enum AdapterKind
{
    /// <summary>OpenAI.Adapter (Images API and Responses API). JSON: <c>openai</c>.</summary>
    OpenAI,

    /// <summary>OpenRouter.Adapter (chat completions with image output). JSON: <c>openrouter</c>.</summary>
    OpenRouter,
}

/// <summary>The provider API a chunk calls; mirrors <c>provider.v1.Operation</c>.</summary>
public enum ChunkOperation
{
    /// <summary>Images API <c>/v1/images/generations</c>. JSON: <c>generate</c>.</summary>
    Generate,

    /// <summary>Images API <c>/v1/images/edits</c>. JSON: <c>edit</c>.</summary>
    Edit,

    /// <summary>Responses API with the <c>image_generation</c> tool. JSON: <c>responses</c>.</summary>
    Responses,

    /// <summary>Chat completions with image output. JSON: <c>chat</c>.</summary>
    Chat,
}

/// <summary>How the provider's output is read (the seed's <c>output_mapping.type</c>); the adapter implements it.</summary>
public enum OutputMappingType
{
    /// <summary><c>images_api_base64</c>: <c>data[].b64_json</c> of an Images API reply or its <c>*.completed</c> events.</summary>
    ImagesApiBase64,

    /// <summary><c>images_api_url</c>: <c>data[].url</c> (DALL·E), downloaded by the adapter.</summary>
    ImagesApiUrl,

    /// <summary><c>responses_image_generation_call</c>: <c>output[type=image_generation_call].result</c>.</summary>
    ResponsesImageGenerationCall,

    /// <summary><c>chat_completion_with_image</c>: <c>choices[0].message.images[].image_url.url</c> (data URLs).</summary>
    ChatCompletionWithImage,
}

/// <summary>The JSON spellings of the catalogue's enumerations and which combinations are valid.</summary>
public static class CatalogueNames
{
    public static readonly IReadOnlyDictionary<string, AdapterKind> Adapters = new Dictionary<string, AdapterKind>(StringComparer.Ordinal)
    {
        ["openai"] = AdapterKind.OpenAI,
        ["openrouter"] = AdapterKind.OpenRouter,
    };

    public static readonly IReadOnlyDictionary<string, ChunkOperation> Operations = new Dictionary<string, ChunkOperation>(StringComparer.Ordinal)
    {
        ["generate"] = ChunkOperation.Generate,
        ["edit"] = ChunkOperation.Edit,
        ["responses"] = ChunkOperation.Responses,
        ["chat"] = ChunkOperation.Chat,
    };

    public static readonly IReadOnlyDictionary<string, OutputMappingType> OutputMappings = new Dictionary<string, OutputMappingType>(StringComparer.Ordinal)
    {
        ["images_api_base64"] = OutputMappingType.ImagesApiBase64,
        ["images_api_url"] = OutputMappingType.ImagesApiUrl,
        ["responses_image_generation_call"] = OutputMappingType.ResponsesImageGenerationCall,
        ["chat_completion_with_image"] = OutputMappingType.ChatCompletionWithImage,
    };

    /// <summary>The JSON name of an adapter, e.g. <c>openai</c> (also the provider name in <c>Accepted.provider</c>).</summary>
    public static string Name(this AdapterKind adapter) => Adapters.First(p => p.Value == adapter).Key;

    /// <summary>The JSON name of an operation, e.g. <c>generate</c> (as in <c>ConfigInfo.operation</c>).</summary>
    public static string Name(this ChunkOperation operation) => Operations.First(p => p.Value == operation).Key;

    /// <summary>The JSON name of an output mapping, e.g. <c>images_api_base64</c>.</summary>
    public static string Name(this OutputMappingType mapping) => OutputMappings.First(p => p.Value == mapping).Key;

    /// <summary>The operations each adapter serves.</summary>
    public static IReadOnlyList<ChunkOperation> OperationsOf(AdapterKind adapter) => adapter switch
    {
        AdapterKind.OpenAI => [ChunkOperation.Generate, ChunkOperation.Edit, ChunkOperation.Responses],
        _ => [ChunkOperation.Chat],
    };

    /// <summary>The output mappings that can read the output of an operation.</summary>
    public static IReadOnlyList<OutputMappingType> MappingsOf(ChunkOperation operation) => operation switch
    {
        ChunkOperation.Generate or ChunkOperation.Edit => [OutputMappingType.ImagesApiBase64, OutputMappingType.ImagesApiUrl],
        ChunkOperation.Responses => [OutputMappingType.ResponsesImageGenerationCall],
        _ => [OutputMappingType.ChatCompletionWithImage],
    };
}
