using System.Globalization;
using Pipeline.ServiceDefaults;

namespace Gateway.Configuration;

/// <summary>Turns the <c>Gateway</c> section and service discovery into <see cref="GatewayOptions"/>, reporting every problem at once.</summary>
public static class GatewayOptionsLoader
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Gateway";

    /// <summary>The connection string the Postgres limit store uses (<c>ConnectionStrings:pipeline-db</c>).</summary>
    public const string SharedLimitsDatabase = "pipeline-db";

    private const long MinBodyBytes = 1024;
    private const long MaxBodyBytes = 1024L * 1024 * 1024;
    internal const int MaxRequestsPerWindow = 1_000_000;
    internal const int MaxConcurrentStreams = 10_000;

    /// <summary>Binds and validates; throws <see cref="GatewayConfigurationException"/> listing every error.</summary>
    public static GatewayOptions Load(IConfiguration configuration)
    {
        var settings = new GatewaySettings();
        var errors = new List<string>();
        try
        {
            configuration.GetSection(SectionName).Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"'{SectionName}' could not be read: {ex.Message}");
        }
        var backends = CheckDiscovery(configuration, errors);
        var options = Validate(settings, backends, errors);
        if (options?.RateLimitStore == RateLimitStore.Postgres && string.IsNullOrWhiteSpace(configuration.GetConnectionString(SharedLimitsDatabase)))
        {
            errors.Add($"'Gateway:RateLimits:Store' is Postgres but 'ConnectionStrings:{SharedLimitsDatabase}' is empty; set the database's connection string, or use the Memory store.");
        }
        return errors.Count == 0 ? options! : throw new GatewayConfigurationException(errors);
    }

    /// <summary>Validates <paramref name="settings"/>, adding every error to <paramref name="errors"/>; null when any.</summary>
    public static GatewayOptions? Validate(GatewaySettings settings, BackendAddresses? backends, List<string> errors)
    {
        var limits = settings.RateLimits;
        var requests = Check(limits.RequestsPerWindow, GatewayOptions.DefaultRequestsPerWindow, 1, MaxRequestsPerWindow, "Gateway:RateLimits:RequestsPerWindow", errors);
        var concurrent = Check(limits.ConcurrentStreams, GatewayOptions.DefaultConcurrentStreams, 1, MaxConcurrentStreams, "Gateway:RateLimits:ConcurrentStreams", errors);
        var window = Check(limits.Window, GatewayOptions.DefaultWindow, TimeSpan.FromSeconds(1), TimeSpan.FromDays(1), "Gateway:RateLimits:Window", errors);
        var failedAuthentications = Check(limits.FailedAuthenticationsPerMinute, GatewayOptions.DefaultFailedAuthenticationsPerMinute, 1, 1_000_000,
            "Gateway:RateLimits:FailedAuthenticationsPerMinute", errors);
        var maxBody = Check(settings.Limits.MaxRequestBodyBytes, GatewayOptions.DefaultMaxRequestBodyBytes, MinBodyBytes, MaxBodyBytes, "Gateway:Limits:MaxRequestBodyBytes", errors);
        var generationTimeout = Check(settings.GenerationTimeout, GatewayOptions.DefaultGenerationTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24), "Gateway:GenerationTimeout", errors);
        var activityTimeout = Check(settings.ProxyActivityTimeout, GatewayOptions.DefaultProxyActivityTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24), "Gateway:ProxyActivityTimeout", errors);
        var keys = ApiKeysLoader.Load(settings, requests, concurrent, errors);
        var store = RateLimitStore.Memory;
        if (!string.IsNullOrWhiteSpace(limits.Store) && !Enum.TryParse(limits.Store.Trim(), ignoreCase: true, out store))
        {
            errors.Add($"'Gateway:RateLimits:Store' is '{limits.Store}'; allowed: {string.Join(", ", Enum.GetNames<RateLimitStore>())} (default Memory).");
        }

        if (errors.Count > 0 || backends is null)
        {
            return null;
        }
        return new GatewayOptions
        {
            Backends = backends,
            Keys = keys,
            RequestsPerWindow = requests,
            Window = window,
            ConcurrentStreams = concurrent,
            RateLimitStore = store,
            FailedAuthenticationsPerMinute = failedAuthentications,
            MaxRequestBodyBytes = maxBody,
            GenerationTimeout = generationTimeout,
            ProxyActivityTimeout = activityTimeout,
        };
    }

    /// <summary>The backends, when service discovery knows every endpoint the gateway forwards to; else null with an error for each missing one.</summary>
    private static BackendAddresses? CheckDiscovery(IConfiguration configuration, List<string> errors)
    {
        var missing = 0;
        foreach (var (service, endpoint) in new[] { ("router", "grpc"), ("router", "http"), ("storage", "http") })
        {
            if (!ServiceAddresses.IsConfigured(configuration, service, endpoint))
            {
                missing++;
                errors.Add(ServiceAddresses.Missing(service, endpoint));
            }
        }
        return missing == 0 ? BackendAddresses.Discovered : null;
    }

    internal static T Check<T>(T? value, T fallback, T min, T max, string key, List<string> errors) where T : struct, IComparable<T>
    {
        var actual = value ?? fallback;
        if (actual.CompareTo(min) < 0 || actual.CompareTo(max) > 0)
        {
            errors.Add(string.Format(CultureInfo.InvariantCulture, "'{0}' is {1}; allowed: {2} to {3} (default {4}).", key, actual, min, max, fallback));
        }
        return actual;
    }
}

/// <summary>The gateway configuration is invalid; <see cref="Errors"/> lists every problem with its fix.</summary>
public sealed class GatewayConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid gateway configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
