using System.Globalization;

namespace Dashboard;

/// <summary>
/// Limits of the in-memory store and the OTLP intake (configuration section <c>Dashboard</c>). Every limit is a
/// positive integer; when one is exceeded the oldest data goes first.
/// </summary>
public sealed record DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>Traces kept across all services; the oldest (first seen) is evicted first. Default 10,000.</summary>
    public int MaxTraces { get; init; } = 10_000;

    /// <summary>Spans kept per trace; later spans of a full trace are dropped and counted. Default 5,000.</summary>
    public int MaxSpansPerTrace { get; init; } = 5_000;

    /// <summary>Structured log records kept per resource (<c>service.name</c>). Default 10,000.</summary>
    public int MaxLogsPerResource { get; init; } = 10_000;

    /// <summary>Console lines kept per resource, as pushed by the AppHost. Default 10,000.</summary>
    public int MaxConsoleLinesPerResource { get; init; } = 10_000;

    /// <summary>Metric names kept per resource. Default 1,000.</summary>
    public int MaxMetricsPerResource { get; init; } = 1_000;

    /// <summary>Largest OTLP request accepted (gRPC message, or HTTP body after decompression), in bytes. Default 16 MiB.</summary>
    public int MaxOtlpMessageBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Reads section <c>Dashboard</c>; throws <see cref="DashboardConfigurationException"/> listing every invalid value.</summary>
    public static DashboardOptions Load(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var errors = new List<string>();
        var defaults = new DashboardOptions();
        var options = new DashboardOptions
        {
            MaxTraces = ReadPositive(section, nameof(MaxTraces), defaults.MaxTraces, errors),
            MaxSpansPerTrace = ReadPositive(section, nameof(MaxSpansPerTrace), defaults.MaxSpansPerTrace, errors),
            MaxLogsPerResource = ReadPositive(section, nameof(MaxLogsPerResource), defaults.MaxLogsPerResource, errors),
            MaxConsoleLinesPerResource = ReadPositive(section, nameof(MaxConsoleLinesPerResource), defaults.MaxConsoleLinesPerResource, errors),
            MaxMetricsPerResource = ReadPositive(section, nameof(MaxMetricsPerResource), defaults.MaxMetricsPerResource, errors),
            MaxOtlpMessageBytes = ReadPositive(section, nameof(MaxOtlpMessageBytes), defaults.MaxOtlpMessageBytes, errors),
        };
        return errors.Count == 0 ? options : throw new DashboardConfigurationException(errors);
    }

    private static int ReadPositive(IConfigurationSection section, string key, int fallback, List<string> errors)
    {
        var raw = section[key];
        if (raw is null)
        {
            return fallback;
        }
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }
        errors.Add($"{SectionName}:{key} is '{raw}'; it must be a positive whole number (default {fallback.ToString(CultureInfo.InvariantCulture)}).");
        return fallback;
    }
}

/// <summary>The dashboard's configuration is invalid; the message lists every error.</summary>
public sealed class DashboardConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid dashboard configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
