using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Pipeline.Tests.Measurement;

namespace Pipeline.Tests.Servers;

/// <summary>
/// A real, throw-away PostgreSQL 15 server: <c>initdb</c> into a temp folder, <c>postgres</c> on 127.0.0.1 and a free
/// port (trust authentication, fsync off), one fresh database per caller (one server per test assembly through
/// <see cref="SharedServer{TServer}"/>). Run as root, it runs the server as the
/// <c>postgres</c> user, which PostgreSQL requires. Missing binaries fail with how to install them: never a skip.
/// </summary>
public sealed class PostgresServer : IStartableServer<PostgresServer>
{
    /// <summary>Where Debian's <c>postgresql-15</c> package puts the server binaries.</summary>
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    private const string Superuser = "postgres";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string _root;
    private readonly string _binDirectory;
    private readonly bool _asPostgresUser;
    private readonly NpgsqlDataSource _admin;

    private PostgresServer(string root, string binDirectory, bool asPostgresUser, int port)
    {
        _root = root;
        _binDirectory = binDirectory;
        _asPostgresUser = asPostgresUser;
        Port = port;
        _admin = NpgsqlDataSource.Create(ConnectionString("postgres"));
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    private string DataDirectory => Path.Combine(_root, "data");

    /// <summary>Initialises a cluster and starts the server; returns once it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = await FindBinDirectoryAsync(cancellationToken);
        var asPostgresUser = Environment.IsPrivilegedProcess;
        var root = Path.Combine(Path.GetTempPath(), "pg-tests-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        try
        {
            if (asPostgresUser)
            {
                var chown = await RunAsync("chown", [$"{Superuser}:", root], null, cancellationToken);
                if (chown.ExitCode != 0)
                {
                    throw new InvalidOperationException(
                        $"Running as root, the test PostgreSQL server must run as the '{Superuser}' user, but chown failed ({chown.Output.Trim()}); "
                        + "the Debian package 'postgresql' creates that user (apt-get install postgresql).");
                }
            }
            var initdb = await RunAsync(Path.Combine(binDirectory, "initdb"),
                ["-D", Path.Combine(root, "data"), "-U", Superuser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"],
                asPostgresUser ? root : null, cancellationToken);
            if (initdb.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed with exit code {initdb.ExitCode}:{Environment.NewLine}{initdb.Output}");
            }
            // A port picked free may be taken before the server binds it: try a few.
            for (var attempt = 1; ; attempt++)
            {
                var server = new PostgresServer(root, binDirectory, asPostgresUser, LoopbackPort.Free());
                var started = await server.TryStartAsync(cancellationToken);
                if (started is null)
                {
                    return server;
                }
                await server._admin.DisposeAsync();
                if (attempt == 3)
                {
                    throw new InvalidOperationException($"PostgreSQL did not start:{Environment.NewLine}{started}");
                }
            }
        }
        catch
        {
            DeleteFolder(root);
            throw;
        }
    }

    /// <summary>The connection string of <paramref name="database"/> on this server (no password: trust authentication).</summary>
    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = Superuser,
        Database = database,
        Timeout = 30,
        CommandTimeout = 60,
    }.ConnectionString;

    /// <summary>Creates an empty database named "{prefix}_{random}"; returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var safe = new string([.. prefix.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(30)]);
        var name = $"{safe}_{Guid.NewGuid():N}";
        await using var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\";");
        await command.ExecuteNonQueryAsync(cancellationToken);
        return name;
    }

    /// <summary>Drops a database, ending any session still connected to it.</summary>
    public async Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\" WITH (FORCE);");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stops the server (fast shutdown: sessions are ended) and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await _admin.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        var stop = await RunAsServerAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None);
        if (stop.ExitCode != 0 && ReadPostmasterPid() is { } pid)
        {
            try
            {
                Process.GetProcessById(pid).Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }
        DeleteFolder(_root);
    }

    /// <summary>Starts the server on <see cref="Port"/>; null when it accepts connections, else what went wrong.</summary>
    private async Task<string?> TryStartAsync(CancellationToken cancellationToken)
    {
        var log = Path.Combine(_root, "postgres.log");
        var options = string.Join(' ',
            "-h 127.0.0.1", $"-p {Port.ToString(CultureInfo.InvariantCulture)}", $"-k {_root}",
            "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c max_connections=300", "-c shared_buffers=32MB");
        var start = await RunAsServerAsync("pg_ctl", ["-D", DataDirectory, "-l", log, "-w", "-t", "60", "-o", options, "start"], cancellationToken);
        if (start.ExitCode != 0)
        {
            await RunAsServerAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "10", "stop"], CancellationToken.None);
            return $"pg_ctl start exited with {start.ExitCode}: {start.Output.Trim()}{Environment.NewLine}{ReadTail(log)}";
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                await using var command = _admin.CreateCommand("SELECT 1;");
                await command.ExecuteScalarAsync(cancellationToken);
                return null;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (NpgsqlException ex)
            {
                return $"the server started but refused connections on 127.0.0.1:{Port}: {ex.Message}{Environment.NewLine}{ReadTail(log)}";
            }
        }
    }

    private static async Task<string> FindBinDirectoryAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(DefaultBinDirectory, "postgres")))
        {
            return DefaultBinDirectory;
        }
        try
        {
            var pgConfig = await RunAsync("pg_config", ["--bindir"], null, cancellationToken);
            var reported = pgConfig.Output.Trim();
            if (pgConfig.ExitCode == 0 && File.Exists(Path.Combine(reported, "postgres")) && File.Exists(Path.Combine(reported, "initdb")))
            {
                return reported;
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No pg_config on the PATH: the message below says what to install.
        }
        throw new InvalidOperationException(
            $"The PostgreSQL server binaries (postgres, initdb, pg_ctl) are not in {DefaultBinDirectory}, nor where 'pg_config --bindir' points. "
            + "These tests need a real PostgreSQL 15 server: install the Debian package 'postgresql' (apt-get install postgresql), as .ci/run does.");
    }

    private Task<(int ExitCode, string Output)> RunAsServerAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        RunAsync(Path.Combine(_binDirectory, tool), arguments, _asPostgresUser ? _root : null, cancellationToken);

    /// <summary>Runs a program to its end (as the postgres user when <paramref name="postgresUserDirectory"/> is set, there); returns its exit code and output.</summary>
    private static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IReadOnlyList<string> arguments, string? postgresUserDirectory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = postgresUserDirectory ?? Path.GetTempPath(),
        };
        if (postgresUserDirectory is not null)
        {
            info.FileName = "runuser";
            foreach (var argument in (string[])["-u", Superuser, "--", program])
            {
                info.ArgumentList.Add(argument);
            }
        }
        else
        {
            info.FileName = program;
        }
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(CommandTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(program)} {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalSeconds} s");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private int? ReadPostmasterPid()
    {
        try
        {
            var first = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static string ReadTail(string log)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no server log)";
        }
    }

    private static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the OS's temp cleaning.
        }
    }
}
