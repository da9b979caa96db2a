namespace ProviderEmulator.ComfyUI;

/// <summary>The ComfyUI emulator's pace (configuration keys <c>Emulator:ComfyUI:*</c>).</summary>
public sealed record ComfyUIEmulatorOptions
{
    /// <summary>Longest step time accepted; a larger configured value (or <c>partial-delay</c> fault) is cut to this.</summary>
    public static readonly TimeSpan MaxStepDelay = TimeSpan.FromSeconds(1);

    /// <summary>Time per sampler step (25 steps take 25 × this). Default 40 ms; at most 1 s. Tests keep it small.</summary>
    public TimeSpan StepDelay { get; init; } = TimeSpan.FromMilliseconds(40);

    /// <summary>JPEG previews sent per run, spread over the steps, coarse to fine. Default 4; 0 to 10.</summary>
    public int Previews { get; init; } = 4;

    /// <summary>The step time to use: <paramref name="faultDelay"/> when set, else <see cref="StepDelay"/>, within 0 to 1 s.</summary>
    public TimeSpan StepTime(TimeSpan faultDelay)
    {
        var delay = faultDelay > TimeSpan.Zero ? faultDelay : StepDelay;
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxStepDelay ? MaxStepDelay : delay;
    }

    /// <summary>The preview count to use, within 0 to 10.</summary>
    public int PreviewCount => Math.Clamp(Previews, 0, 10);
}
