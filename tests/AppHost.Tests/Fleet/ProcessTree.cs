using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;

namespace AppHost.Tests.Fleet;

/// <summary>Linux process lookups through <c>/proc</c>: parents, children, command lines, environments.</summary>
internal static class ProcessTree
{
    /// <summary>Every live pid with its parent pid (<c>/proc/{pid}/stat</c>, field 4).</summary>
    public static Dictionary<int, int> Parents()
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid))
            {
                try
                {
                    var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
                catch (IOException)
                {
                }
            }
        }
        return parents;
    }

    /// <summary>
    /// The pid of the service process of a resource or replica (<paramref name="resourceId"/>): DCP runs each project as
    /// <c>dotnet run</c> (the snapshot's <c>executable.pid</c>), whose only child is the service.
    /// </summary>
    public static int ServiceProcessId(DistributedApplication app, string resourceId)
    {
        var snapshot = app.ResourceNotifications.TryGetCurrentState(resourceId, out var e)
            ? e.Snapshot : throw new InvalidOperationException($"No state for {resourceId}.");
        var pid = Convert.ToInt32(snapshot.Properties.Single(p => p.Name == "executable.pid").Value, CultureInfo.InvariantCulture);
        return Children(pid).SingleOrDefault(pid);
    }

    public static IReadOnlyList<int> Children(int parent) => [.. Parents().Where(p => p.Value == parent).Select(p => p.Key)];

    /// <summary>Every process below any of <paramref name="roots"/>.</summary>
    public static HashSet<int> Descendants(IEnumerable<int> roots)
    {
        var parents = Parents();
        var found = new HashSet<int>();
        var frontier = new Queue<int>(roots);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in parents.Where(p => p.Value == parent).Select(p => p.Key))
            {
                if (found.Add(child))
                {
                    frontier.Enqueue(child);
                }
            }
        }
        return found;
    }

    /// <summary>The command line of <paramref name="pid"/> with spaces between arguments; empty when it is gone.</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Processes whose command line contains <paramref name="fragment"/>.</summary>
    public static IReadOnlyList<int> Find(string fragment) =>
        [.. Parents().Keys.Where(pid => CommandLine(pid).Contains(fragment, StringComparison.Ordinal))];

    public static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
