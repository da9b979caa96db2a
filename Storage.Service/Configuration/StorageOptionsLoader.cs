using Npgsql;

namespace Storage.Service.Configuration;

/// <summary>Turns the <c>Storage</c> section into <see cref="StorageOptions"/>, reporting every problem at once.</summary>
public static partial class StorageOptionsLoader
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Storage";

    private const long MinImageBytes = 1024;
    private const long MaxAllowedImageBytes = 1024L * 1024 * 1024;

    /// <summary>Binds and validates; throws <see cref="StorageConfigurationException"/> listing every error.</summary>
    public static StorageOptions Load(IConfiguration configuration, string contentRoot)
    {
        var settings = new StorageSettings();
        var errors = new List<string>();
        try
        {
            configuration.GetSection(SectionName).Bind(settings);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"'{SectionName}' could not be read: {ex.Message}");
        }
        var options = Validate(settings, contentRoot, errors, configuration.GetConnectionString(PostgresOptions.ConnectionStringName));
        return errors.Count == 0 ? options! : throw new StorageConfigurationException(errors);
    }

    /// <summary>
    /// Validates <paramref name="settings"/> and, for the PostgreSQL backend, <paramref name="postgresConnectionString"/>
    /// (<c>ConnectionStrings:pipeline-db</c>), adding every error to <paramref name="errors"/>; null when any.
    /// </summary>
    public static StorageOptions? Validate(StorageSettings settings, string contentRoot, List<string> errors, string? postgresConnectionString = null)
    {
        var dataDirectory = ResolvePath(settings.DataDirectory, "data", contentRoot, "Storage:DataDirectory", errors);
        var blobRoot = ResolvePath(settings.BlobRoot, Path.Combine(dataDirectory ?? contentRoot, "blobs"), contentRoot, "Storage:BlobRoot", errors);
        var databasePath = ResolvePath(settings.DatabasePath, Path.Combine(dataDirectory ?? contentRoot, "storage.db"), contentRoot, "Storage:DatabasePath", errors);

        var maxImageBytes = settings.MaxImageBytes ?? StorageOptions.DefaultMaxImageBytes;
        if (maxImageBytes is < MinImageBytes or > MaxAllowedImageBytes)
        {
            errors.Add($"'Storage:MaxImageBytes' is {maxImageBytes}; allowed: {MinImageBytes} to {MaxAllowedImageBytes} bytes (default {StorageOptions.DefaultMaxImageBytes}).");
        }

        var imageLimits = settings.ImageLimits ?? new();
        imageLimits.Validate("Storage:ImageLimits", errors);

        var backend = MetadataBackend.Sqlite;
        if (!string.IsNullOrWhiteSpace(settings.MetadataBackend))
        {
            // By name only: Enum.TryParse would also take "1" or "Sqlite,Postgres".
            var named = Enum.GetValues<MetadataBackend>().Where(b => b.ToString().Equals(settings.MetadataBackend.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count == 1)
            {
                backend = named[0];
            }
            else
            {
                errors.Add($"'Storage:MetadataBackend' is '{settings.MetadataBackend}'; allowed: {string.Join(", ", Enum.GetNames<MetadataBackend>())}.");
            }
        }
        var postgres = backend == MetadataBackend.Postgres ? CheckPostgres(postgresConnectionString, errors) : null;

        var export = ExportOptions.Disabled;
        if (settings.Export.Enabled)
        {
            if (string.IsNullOrWhiteSpace(settings.Export.Root))
            {
                errors.Add("'Storage:Export:Enabled' is true but 'Storage:Export:Root' is empty; set the folder runs are exported to, or disable the export.");
            }
            else if (ResolvePath(settings.Export.Root, "", contentRoot, "Storage:Export:Root", errors) is { } exportRoot)
            {
                if (blobRoot is not null && IsSameOrInside(exportRoot, blobRoot))
                {
                    errors.Add($"'Storage:Export:Root' ({exportRoot}) lies inside 'Storage:BlobRoot' ({blobRoot}); pick a folder outside the blob tree.");
                }
                export = new ExportOptions(true, exportRoot);
            }
        }

        var (blobBackend, s3) = ValidateBlobBackend(settings, errors);

        var faults = new FaultInjectionOptions(
            CheckPause(settings.FaultInjection.PauseAfterTempWrite, "Storage:FaultInjection:PauseAfterTempWrite", errors),
            CheckPause(settings.FaultInjection.PauseBeforeMetadataCommit, "Storage:FaultInjection:PauseBeforeMetadataCommit", errors));

        if (errors.Count > 0 || blobRoot is null || databasePath is null)
        {
            return null;
        }
        return new StorageOptions
        {
            BlobRoot = blobRoot,
            BlobBackend = blobBackend,
            S3 = s3,
            DatabasePath = databasePath,
            MaxImageBytes = (int)maxImageBytes,
            ImageLimits = imageLimits,
            MetadataBackend = backend,
            Postgres = postgres,
            Export = export,
            FaultInjection = faults,
        };
    }

    private static string? ResolvePath(string? value, string fallback, string contentRoot, string key, List<string> errors)
    {
        var path = string.IsNullOrWhiteSpace(value) ? fallback : value.Trim();
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add($"'{key}' contains a NUL character; give a plain file system path.");
            return null;
        }
        try
        {
            return Path.GetFullPath(path, contentRoot);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            errors.Add($"'{key}' is not a usable path ('{path}'): {ex.Message}");
            return null;
        }
    }

    private static PostgresOptions? CheckPostgres(string? connectionString, List<string> errors)
    {
        const string Key = "ConnectionStrings:" + PostgresOptions.ConnectionStringName;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add($"'Storage:MetadataBackend' is 'Postgres' but '{Key}' is empty; set it (environment: ConnectionStrings__{PostgresOptions.ConnectionStringName}) "
                + "to the database's connection string, e.g. 'Host=db;Port=5432;Database=pipeline;Username=pipeline;Password=…', or choose 'Sqlite'.");
            return null;
        }
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
            {
                errors.Add($"'{Key}' names no Host; add 'Host=<server>' to it.");
                return null;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            // Not the parser's message: a password holding ';' would show up in it as an unknown keyword.
            errors.Add($"'{Key}' is not a valid PostgreSQL connection string ({ex.GetType().Name}); write it as 'Key=value;Key=value' "
                + "and double-quote a value that holds ';' or '='.");
            return null;
        }
        return new PostgresOptions(connectionString);
    }

    private static TimeSpan? CheckPause(TimeSpan? pause, string key, List<string> errors)
    {
        if (pause is { } value && (value < TimeSpan.Zero || value > TimeSpan.FromMinutes(10)))
        {
            errors.Add($"'{key}' is {value}; allowed: 00:00:00 to 00:10:00, or unset (the default).");
        }
        return pause;
    }

    private static bool IsSameOrInside(string path, string root)
    {
        var relative = Path.GetRelativePath(root, path);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}

/// <summary>The <c>Storage</c> configuration is invalid; <see cref="Errors"/> lists every problem with its fix.</summary>
public sealed class StorageConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid storage configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
{
    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
