namespace ProviderEmulator.ComfyUI;

/// <summary>How a node input is checked, as ComfyUI's INPUT_TYPES declare it.</summary>
internal enum InputKind
{
    /// <summary>A link <c>[node id, slot]</c> to another node's output (MODEL, CLIP, CONDITIONING, LATENT, VAE, IMAGE).</summary>
    Link,

    /// <summary>INT within Min..Max.</summary>
    Int,

    /// <summary>FLOAT within Min..Max.</summary>
    Float,

    /// <summary>STRING.</summary>
    Text,

    /// <summary>A COMBO of model files: any file name (the emulator has every model).</summary>
    File,

    /// <summary>A COMBO: one of Choices.</summary>
    Choice,
}

/// <summary>One declared input of a node class.</summary>
internal sealed record NodeInput(string Name, InputKind Kind, double Min = 0, double Max = 0, IReadOnlyList<string>? Choices = null);

/// <summary>One node class: its inputs (all required) and whether it is an output node (its images are saved).</summary>
internal sealed record NodeClass(string Name, IReadOnlyList<NodeInput> Inputs, bool IsOutput = false)
{
    public NodeInput? Find(string name) => Inputs.FirstOrDefault(i => i.Name == name);
}

/// <summary>
/// The node classes the emulator knows: what SD1.5 and SD3.5 text-to-image workflows use, with ComfyUI's input names and
/// limits (sizes and batches are capped lower than ComfyUI's, so the emulator never draws a huge picture).
/// </summary>
internal static class NodeCatalog
{
    public static readonly IReadOnlyList<string> Samplers =
    [
        "euler", "euler_cfg_pp", "euler_ancestral", "euler_ancestral_cfg_pp", "heun", "heunpp2", "dpm_2", "dpm_2_ancestral", "lms",
        "dpm_fast", "dpm_adaptive", "dpmpp_2s_ancestral", "dpmpp_2s_ancestral_cfg_pp", "dpmpp_sde", "dpmpp_sde_gpu", "dpmpp_2m",
        "dpmpp_2m_cfg_pp", "dpmpp_2m_sde", "dpmpp_2m_sde_gpu", "dpmpp_3m_sde", "dpmpp_3m_sde_gpu", "ddpm", "lcm", "ipndm", "ipndm_v",
        "deis", "res_multistep", "gradient_estimation", "uni_pc", "uni_pc_bh2", "ddim",
    ];

    public static readonly IReadOnlyList<string> Schedulers =
        ["simple", "sgm_uniform", "karras", "exponential", "ddim_uniform", "beta", "normal", "linear_quadratic", "kl_optimal"];

    /// <summary>Largest width or height the emulator renders (ComfyUI allows 16384).</summary>
    public const int MaxSide = 4096;

    /// <summary>Largest batch the emulator renders (ComfyUI allows 4096).</summary>
    public const int MaxBatch = 8;

    private static readonly NodeClass[] Classes =
    [
        new("CheckpointLoaderSimple", [new("ckpt_name", InputKind.File)]),
        new("VAELoader", [new("vae_name", InputKind.File)]),
        new("TripleCLIPLoader", [new("clip_name1", InputKind.File), new("clip_name2", InputKind.File), new("clip_name3", InputKind.File)]),
        new("CLIPTextEncode", [new("text", InputKind.Text), new("clip", InputKind.Link)]),
        new("ConditioningZeroOut", [new("conditioning", InputKind.Link)]),
        new("ConditioningSetTimestepRange", [new("conditioning", InputKind.Link), new("start", InputKind.Float, 0, 1), new("end", InputKind.Float, 0, 1)]),
        new("ConditioningCombine", [new("conditioning_1", InputKind.Link), new("conditioning_2", InputKind.Link)]),
        new("ModelSamplingSD3", [new("model", InputKind.Link), new("shift", InputKind.Float, 0, 100)]),
        Latent("EmptyLatentImage"),
        Latent("EmptySD3LatentImage"),
        new("KSampler",
        [
            new("model", InputKind.Link), new("seed", InputKind.Int, 0, 18446744073709551615d), new("steps", InputKind.Int, 1, 10000),
            new("cfg", InputKind.Float, 0, 100), new("sampler_name", InputKind.Choice, Choices: Samplers),
            new("scheduler", InputKind.Choice, Choices: Schedulers), new("positive", InputKind.Link), new("negative", InputKind.Link),
            new("latent_image", InputKind.Link), new("denoise", InputKind.Float, 0, 1),
        ]),
        new("VAEDecode", [new("samples", InputKind.Link), new("vae", InputKind.Link)]),
        new("SaveImage", [new("images", InputKind.Link), new("filename_prefix", InputKind.Text)], IsOutput: true),
        new("PreviewImage", [new("images", InputKind.Link)], IsOutput: true),
    ];

    private static readonly Dictionary<string, NodeClass> ByName = Classes.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static NodeClass? Find(string name) => ByName.GetValueOrDefault(name);

    private static NodeClass Latent(string name) => new(name,
        [new("width", InputKind.Int, 16, MaxSide), new("height", InputKind.Int, 16, MaxSide), new("batch_size", InputKind.Int, 1, MaxBatch)]);
}
