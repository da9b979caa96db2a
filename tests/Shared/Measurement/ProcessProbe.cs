using System.Globalization;

namespace Pipeline.Tests.Measurement;

/// <summary>What Linux says about a running process: resident set size and open file descriptors (from <c>/proc</c>).</summary>
public static class ProcessProbe
{
    /// <summary>
    /// The first child of <paramref name="parent"/> (from <c>/proc/*/stat</c>), or null: DCP starts each service as the only
    /// child of a <c>dotnet run</c>, whose pid the resource reports.
    /// </summary>
    public static int? ChildOf(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (int.TryParse(Path.GetFileName(dir), out var pid))
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    if (stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1] == parent.ToString(CultureInfo.InvariantCulture))
                    {
                        return pid;
                    }
                }
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }
        return null;
    }

    /// <summary>The environment <paramref name="pid"/> was started with.</summary>
    public static async Task<Dictionary<string, string>> EnvironmentAsync(int pid, CancellationToken ct)
    {
        var raw = await File.ReadAllTextAsync($"/proc/{pid}/environ", ct);
        return raw.Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .GroupBy(pair => pair[0])
            .ToDictionary(g => g.Key, g => g.Last()[1]);
    }

    /// <summary>VmRSS of <c>/proc/{pid}/status</c> in bytes, or 0 when the process is gone.</summary>
    public static long ReadRssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>The entries of <c>/proc/{pid}/fd</c> (files, sockets, pipes, epoll …), or 0 when the process is gone.</summary>
    public static int CountOpenDescriptors(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }
}
