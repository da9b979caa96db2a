namespace Router.Service.Catalogue;

/// <summary>The provider adapter a chunk is served by.</summary>
public enum AdapterKind
{
    /// <summary>OpenAI.Adapter (Images API and Responses API). JSON: <c>openai</c>.</summary>
    OpenAI,

    /// <summary>OpenRouter.Adapter (chat completions with image output). JSON: <c>openrouter</c>.</summary>
    OpenRouter,

    /// <summary>Declarative.Adapter: executes <c>api_output_chunk</c> chunks (any HTTP API described in JSON). Name: <c>declarative</c>.</summary>
    Declarative,

    /// <summary>ComfyUI.Adapter: runs <c>output_chunk</c> workflows on a ComfyUI server (the local eco mode). Name: <c>comfyui</c>.</summary>
    ComfyUI,
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

    /// <summary>The HTTP call an <c>api_output_chunk</c> describes. Name: <c>http</c>.</summary>
    Http,

    /// <summary>The ComfyUI workflow an <c>output_chunk</c> embeds. Name: <c>workflow</c>.</summary>
    Workflow,
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

    /// <summary><c>json_path</c>: the value(s) at <c>extract_path</c>, each base64, a data URI or a URL (declarative chunks).</summary>
    JsonPath,

    /// <summary><c>comfyui_images</c>: the images a workflow's output node (<c>output_mapping.node</c>) saved.</summary>
    ComfyUIImages,
}

/// <summary>The JSON spellings of the catalogue's enumerations and which combinations are valid.</summary>
public static class CatalogueNames
{
    /// <summary>The adapters a typed chunk may name in <c>adapter</c> (the others serve the chunk kinds of their own).</summary>
    public static readonly IReadOnlyDictionary<string, AdapterKind> Adapters = new Dictionary<string, AdapterKind>(StringComparer.Ordinal)
    {
        ["openai"] = AdapterKind.OpenAI,
        ["openrouter"] = AdapterKind.OpenRouter,
    };

    /// <summary>The operations a typed chunk may name in <c>operation</c>.</summary>
    public static readonly IReadOnlyDictionary<string, ChunkOperation> Operations = new Dictionary<string, ChunkOperation>(StringComparer.Ordinal)
    {
        ["generate"] = ChunkOperation.Generate,
        ["edit"] = ChunkOperation.Edit,
        ["responses"] = ChunkOperation.Responses,
        ["chat"] = ChunkOperation.Chat,
    };

    private static readonly IReadOnlyDictionary<AdapterKind, string> AdapterNames = new Dictionary<AdapterKind, string>
    {
        [AdapterKind.OpenAI] = "openai",
        [AdapterKind.OpenRouter] = "openrouter",
        [AdapterKind.Declarative] = "declarative",
        [AdapterKind.ComfyUI] = "comfyui",
    };

    private static readonly IReadOnlyDictionary<ChunkOperation, string> OperationNames = new Dictionary<ChunkOperation, string>
    {
        [ChunkOperation.Generate] = "generate",
        [ChunkOperation.Edit] = "edit",
        [ChunkOperation.Responses] = "responses",
        [ChunkOperation.Chat] = "chat",
        [ChunkOperation.Http] = "http",
        [ChunkOperation.Workflow] = "workflow",
    };

    public static readonly IReadOnlyDictionary<string, OutputMappingType> OutputMappings = new Dictionary<string, OutputMappingType>(StringComparer.Ordinal)
    {
        ["images_api_base64"] = OutputMappingType.ImagesApiBase64,
        ["images_api_url"] = OutputMappingType.ImagesApiUrl,
        ["responses_image_generation_call"] = OutputMappingType.ResponsesImageGenerationCall,
        ["chat_completion_with_image"] = OutputMappingType.ChatCompletionWithImage,
        ["json_path"] = OutputMappingType.JsonPath,
        ["comfyui_images"] = OutputMappingType.ComfyUIImages,
    };

    /// <summary>The name of an adapter, e.g. <c>openai</c>: its resource (service discovery) name and a typed chunk's <c>adapter</c>.</summary>
    public static string Name(this AdapterKind adapter) => AdapterNames[adapter];

    /// <summary>The name of an operation, e.g. <c>generate</c> (as in <c>ConfigInfo.operation</c>).</summary>
    public static string Name(this ChunkOperation operation) => OperationNames[operation];

    /// <summary>The JSON name of an output mapping, e.g. <c>images_api_base64</c>.</summary>
    public static string Name(this OutputMappingType mapping) => OutputMappings.First(p => p.Value == mapping).Key;

    /// <summary>The operations each adapter serves.</summary>
    public static IReadOnlyList<ChunkOperation> OperationsOf(AdapterKind adapter) => adapter switch
    {
        AdapterKind.OpenAI => [ChunkOperation.Generate, ChunkOperation.Edit, ChunkOperation.Responses],
        AdapterKind.OpenRouter => [ChunkOperation.Chat],
        AdapterKind.Declarative => [ChunkOperation.Http],
        _ => [ChunkOperation.Workflow],
    };

    /// <summary>The output mappings that can read the output of an operation.</summary>
    public static IReadOnlyList<OutputMappingType> MappingsOf(ChunkOperation operation) => operation switch
    {
        ChunkOperation.Generate or ChunkOperation.Edit => [OutputMappingType.ImagesApiBase64, OutputMappingType.ImagesApiUrl],
        ChunkOperation.Responses => [OutputMappingType.ResponsesImageGenerationCall],
        ChunkOperation.Chat => [OutputMappingType.ChatCompletionWithImage],
        ChunkOperation.Http => [OutputMappingType.ImagesApiBase64, OutputMappingType.ChatCompletionWithImage, OutputMappingType.JsonPath],
        _ => [OutputMappingType.ComfyUIImages],
    };
}
