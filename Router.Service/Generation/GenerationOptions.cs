using Microsoft.Extensions.Options;
using Pipeline.Imaging;

namespace Router.Service.Generation;

/// <summary>How the router reaches the services it calls during a generation. Section <c>Router:Generation</c>.</summary>
public sealed record GenerationOptions
{
    /// <summary>The configuration section: <c>Router:Generation</c>.</summary>
    public const string SectionName = "Router:Generation";

    /// <summary><c>StorageService</c>: the service-discovery name of Storage.Service (endpoint <c>grpc</c>). Default: <c>storage</c>.</summary>
    public string StorageService { get; init; } = "storage";

    /// <summary>
    /// <c>StorageCallTimeoutSeconds</c>: how long one storage call may take, 1-600 seconds. A final image whose put times out
    /// is spooled. Default: 30.
    /// </summary>
    public int StorageCallTimeoutSeconds { get; init; } = 30;

    /// <summary><c>MaxRequestBytes</c>: largest Generate request (input images included), 1 MiB-256 MiB. Default: 64 MiB.</summary>
    public int MaxRequestBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// <c>ImageLimits</c>: largest input image or mask a caller may send, by its header (refused before decoding).
    /// Default: 100 megapixels and 16384 pixels per side.
    /// </summary>
    public ImageLimits ImageLimits { get; init; } = new();

    /// <summary>The storage call timeout as a span.</summary>
    public TimeSpan StorageCallTimeout => TimeSpan.FromSeconds(StorageCallTimeoutSeconds);
}

/// <summary>Reports every problem of <see cref="GenerationOptions"/> at once.</summary>
internal sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.StorageService))
        {
            failures.Add("Router:Generation:StorageService is empty; set the service-discovery name of Storage.Service (default \"storage\").");
        }
        if (options.StorageCallTimeoutSeconds is < 1 or > 600)
        {
            failures.Add($"Router:Generation:StorageCallTimeoutSeconds = {options.StorageCallTimeoutSeconds} is out of range; allowed: 1-600.");
        }
        if (options.MaxRequestBytes is < 1024 * 1024 or > 256 * 1024 * 1024)
        {
            failures.Add($"Router:Generation:MaxRequestBytes = {options.MaxRequestBytes} is out of range; allowed: 1048576-268435456.");
        }
        options.ImageLimits.Validate("Router:Generation:ImageLimits", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
