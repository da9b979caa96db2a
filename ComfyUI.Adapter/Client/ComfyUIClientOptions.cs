using Microsoft.Extensions.Options;

namespace ComfyUI.Adapter.Client;

/// <summary>What the ComfyUI client needs beyond <c>ProviderOptions</c> (section <c>ComfyUI</c>).</summary>
public sealed record ComfyUIClientOptions
{
    /// <summary>
    /// How long a cancelled call may spend telling ComfyUI to stop (<c>POST /queue</c> delete and <c>POST /interrupt</c>), on
    /// its own clock since the call's token is already cancelled. Default 5 s; allowed 100 ms to 1 min.
    /// </summary>
    public TimeSpan InterruptTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>Reports every problem of <see cref="ComfyUIClientOptions"/> at once.</summary>
internal sealed class ComfyUIClientOptionsValidator : IValidateOptions<ComfyUIClientOptions>
{
    public ValidateOptionsResult Validate(string? name, ComfyUIClientOptions options)
    {
        var failures = new List<string>();
        if (options.InterruptTimeout < TimeSpan.FromMilliseconds(100) || options.InterruptTimeout > TimeSpan.FromMinutes(1))
        {
            failures.Add($"'{ComfyUIAdapterExtensions.SectionName}:InterruptTimeout' is {options.InterruptTimeout}; allowed: 00:00:00.1 to 00:01:00 (default 00:00:05).");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
