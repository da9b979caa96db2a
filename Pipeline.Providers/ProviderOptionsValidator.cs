using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Pipeline.Imaging;
using Pipeline.Providers.Internal;

namespace Pipeline.Providers;

/// <summary>Binds, completes (defaults, key) and validates <see cref="ProviderOptions"/>, reporting every error at once.</summary>
public static partial class ProviderOptionsValidator
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Reads section <paramref name="sectionName"/>: BaseUrl defaults to <see cref="ProviderDefaults.BaseUrl"/>; ApiKey, when
    /// empty, comes from the environment variable (configuration key) <see cref="ProviderDefaults.ApiKeyEnvironmentVariable"/>,
    /// else from ApiKeyFile (relative paths from <paramref name="contentRoot"/>). Throws <see cref="ProviderConfigurationException"/>.
    /// </summary>
    public static ProviderOptions Load(IConfiguration configuration, string sectionName, ProviderDefaults defaults, string contentRoot)
    {
        var errors = new List<string>();
        ProviderOptions options;
        try
        {
            options = configuration.GetSection(sectionName).Get<ProviderOptions>() ?? new ProviderOptions();
        }
        catch (InvalidOperationException ex)
        {
            throw new ProviderConfigurationException([$"'{sectionName}' could not be read: {ex.Message}{(ex.InnerException is { } inner ? " " + inner.Message : "")}"]);
        }
        options = options with { BaseUrl = options.BaseUrl ?? defaults.BaseUrl };
        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            options = options with { ApiKey = ResolveKey(configuration, sectionName, defaults, options.ApiKeyFile, contentRoot, errors) };
        }
        errors.AddRange(Validate(options, sectionName));
        return errors.Count == 0 ? options : throw new ProviderConfigurationException(errors);
    }

    /// <summary>Every problem of <paramref name="options"/>, each naming its key and how to fix it; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(ProviderOptions options, string sectionName)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var s = sectionName;
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"'{s}:BaseUrl' is '{options.BaseUrl}'; give an absolute http(s) URL such as https://api.example.com/v1.");
        }
        if (options.MaxConcurrentCalls < 1)
        {
            errors.Add($"'{s}:MaxConcurrentCalls' is {options.MaxConcurrentCalls}; allowed: 1 or more (default 16).");
        }
        if (options.QueueLimit < 0)
        {
            errors.Add($"'{s}:QueueLimit' is {options.QueueLimit}; allowed: 0 or more (default 64).");
        }
        ValidateRetry(options.Retry, s, errors);
        ValidateDownload(options.Download, s, errors);
        foreach (var (name, value) in options.Headers)
        {
            if (!HeaderName().IsMatch(name))
            {
                errors.Add($"'{s}:Headers' has the header name '{name}', which is not a valid HTTP token.");
            }
            if (value is null || value.Any(c => c is '\r' or '\n' or '\0'))
            {
                errors.Add($"'{s}:Headers:{name}' must be a single-line value.");
            }
            if (string.Equals(name, "Authorization", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"'{s}:Headers' must not set Authorization; set '{s}:ApiKey' instead.");
            }
        }
        ValidateModels(options.Models, s, errors);
        ValidateHostModels(options.HostModels, s, errors);
        return errors;
    }

    private static void ValidateRetry(ProviderRetryOptions retry, string s, List<string> errors)
    {
        if (retry.MaxRetries is < 0 or > 10)
        {
            errors.Add($"'{s}:Retry:MaxRetries' is {retry.MaxRetries}; allowed: 0 to 10 (default 2).");
        }
        if (retry.BaseDelay <= TimeSpan.Zero || retry.BaseDelay > MaxRetryDelay)
        {
            errors.Add($"'{s}:Retry:BaseDelay' is {retry.BaseDelay}; allowed: more than 0 and at most {MaxRetryDelay} (default 00:00:01).");
        }
        if (retry.MaxDelay < retry.BaseDelay || retry.MaxDelay > MaxRetryDelay)
        {
            errors.Add($"'{s}:Retry:MaxDelay' is {retry.MaxDelay}; allowed: from BaseDelay ({retry.BaseDelay}) to {MaxRetryDelay} (default 00:00:30).");
        }
    }

    private static void ValidateDownload(ImageDownloadOptions download, string s, List<string> errors)
    {
        if (download.MaxBytes is < 1024 or > int.MaxValue)
        {
            errors.Add($"'{s}:Download:MaxBytes' is {download.MaxBytes}; allowed: 1024 to {int.MaxValue} bytes (default 52428800).");
        }
        if (download.Timeout <= TimeSpan.Zero)
        {
            errors.Add($"'{s}:Download:Timeout' is {download.Timeout}; it must be positive (default 00:00:30).");
        }
        if (download.Dimensions is null)
        {
            errors.Add($"'{s}:Download:Dimensions' is null; set MaxMegapixels and MaxSide or leave the section out (defaults 100 and 16384).");
        }
        else
        {
            download.Dimensions.Validate($"{s}:Download:Dimensions", errors);
        }
    }

    private static void ValidateModels(IReadOnlyList<ModelDefinition> models, string s, List<string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < models.Count; i++)
        {
            var model = models[i];
            var key = $"'{s}:Models:{i}'";
            if (string.IsNullOrWhiteSpace(model.Id))
            {
                errors.Add($"{key} has no Id; name the provider model, e.g. \"gpt-image-1\".");
            }
            else if (!seen.Add(model.Id))
            {
                errors.Add($"{key} repeats the model '{model.Id}'; each model appears once.");
            }
            if (model.Operations.Count == 0)
            {
                errors.Add($"{key} ({model.Id}) lists no Operations; allowed: {string.Join(", ", ModelCatalog.Operations.Keys)}.");
            }
            foreach (var operation in model.Operations.Where(o => !ModelCatalog.Operations.ContainsKey(o)))
            {
                errors.Add($"{key} ({model.Id}) has the operation '{operation}'; allowed: {string.Join(", ", ModelCatalog.Operations.Keys)}.");
            }
            foreach (var size in model.Sizes.Where(z => z != "auto" && !IsSize(z)))
            {
                errors.Add($"{key} ({model.Id}) has the size '{size}'; write \"WIDTHxHEIGHT\" (e.g. 1024x1024) or \"auto\".");
            }
            foreach (var format in model.OutputFormats.Where(f => !ImageFormats.TryParse(f, out _)))
            {
                errors.Add($"{key} ({model.Id}) has the output format '{format}'; allowed: png, jpeg, webp.");
            }
            if (model.MaxN < 1)
            {
                errors.Add($"{key} ({model.Id}) has MaxN {model.MaxN}; allowed: 1 or more.");
            }
            for (var p = 0; p < model.Prices.Count; p++)
            {
                var price = model.Prices[p];
                if (price.UsdPerImage < 0)
                {
                    errors.Add($"{key} ({model.Id}) Prices:{p} has UsdPerImage {price.UsdPerImage}; prices are 0 or more.");
                }
                if (price.Size is { } size && !IsSize(size))
                {
                    errors.Add($"{key} ({model.Id}) Prices:{p} has the size '{size}'; write \"WIDTHxHEIGHT\" or leave it out for any size.");
                }
            }
            if (model.InputUsdPerMillionTokens < 0 || model.OutputUsdPerMillionTokens < 0 || model.CachedInputUsdPerMillionTokens < 0
                || model.ImageInputUsdPerMillionTokens < 0 || model.CachedImageInputUsdPerMillionTokens < 0 || model.TextOutputUsdPerMillionTokens < 0)
            {
                errors.Add($"{key} ({model.Id}) has a negative token price; prices are 0 or more.");
            }
        }
    }

    private static void ValidateHostModels(IReadOnlyList<HostModelPrice> hosts, string s, List<string> errors)
    {
        for (var i = 0; i < hosts.Count; i++)
        {
            var host = hosts[i];
            if (string.IsNullOrWhiteSpace(host.Id))
            {
                errors.Add($"'{s}:HostModels:{i}' has no Id; name the host model, e.g. \"gpt-4.1\".");
            }
            if (host.InputUsdPerMillionTokens < 0 || host.OutputUsdPerMillionTokens < 0 || host.CachedInputUsdPerMillionTokens < 0)
            {
                errors.Add($"'{s}:HostModels:{i}' ({host.Id}) has a negative token price; prices are 0 or more.");
            }
        }
    }

    private static string? ResolveKey(IConfiguration configuration, string section, ProviderDefaults defaults, string? file, string contentRoot, List<string> errors)
    {
        if (configuration[defaults.ApiKeyEnvironmentVariable] is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }
        if (string.IsNullOrWhiteSpace(file))
        {
            return null;
        }
        var path = Path.IsPathRooted(file) ? file : Path.Combine(contentRoot, file);
        try
        {
            var key = File.ReadAllText(path).Trim();
            if (key.Length == 0)
            {
                errors.Add($"'{section}:ApiKeyFile' ({path}) is empty; put the key in it, or unset the option.");
            }
            return key.Length == 0 ? null : key;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"'{section}:ApiKeyFile' ({path}) cannot be read: {ex.Message}");
            return null;
        }
    }

    private static bool IsSize(string size) => SizePattern().IsMatch(size);

    [GeneratedRegex("^[1-9][0-9]{0,4}x[1-9][0-9]{0,4}$")]
    private static partial Regex SizePattern();

    [GeneratedRegex("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")]
    private static partial Regex HeaderName();
}
