namespace AppHost.Hosting.Internal;

/// <summary>Writes child output line by line with a fixed-width, coloured resource name; keeps recent lines per resource.</summary>
internal sealed class ConsoleOutput(IEnumerable<string> resourceNames, bool echo)
{
    private static readonly string[] Colours = ["\e[36m", "\e[35m", "\e[32m", "\e[33m", "\e[34m", "\e[96m", "\e[95m", "\e[92m"];
    private const string Reset = "\e[0m";
    private const int KeptLines = 1000;

    private readonly Lock _gate = new();
    private readonly List<string> _names = [.. resourceNames, "apphost"];
    private readonly Dictionary<string, Queue<string>> _recent = [];
    private readonly bool _useColour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    private int Width => _names.Max(n => n.Length);

    /// <summary>Raised for every line (resource name, text), <c>apphost</c> events included, in order, under the lock: handlers must not block.</summary>
    public event Action<string, string>? LineWritten;

    /// <summary>A line from a child's stdout/stderr.</summary>
    public void Write(string resource, string line)
    {
        lock (_gate)
        {
            if (!_recent.TryGetValue(resource, out var recent))
            {
                _recent[resource] = recent = new Queue<string>();
            }
            recent.Enqueue(line);
            if (recent.Count > KeptLines)
            {
                recent.Dequeue();
            }
            LineWritten?.Invoke(resource, line);
            if (echo)
            {
                var name = resource.PadRight(Width);
                var colour = Colours[Math.Max(0, _names.IndexOf(resource)) % Colours.Length];
                Console.Out.WriteLine(_useColour ? $"{colour}{name}{Reset} | {line}" : $"{name} | {line}");
            }
        }
    }

    /// <summary>An AppHost event, always shown: <c>[apphost] router exited with code 137; restarting in 2s</c>.</summary>
    public void Event(string message)
    {
        lock (_gate)
        {
            if (!_recent.TryGetValue("apphost", out var recent))
            {
                _recent["apphost"] = recent = new Queue<string>();
            }
            recent.Enqueue(message);
            LineWritten?.Invoke("apphost", message);
            Console.Out.WriteLine($"[apphost] {message}");
        }
    }

    /// <summary>The most recent lines of <paramref name="resource"/> (<c>apphost</c> for the AppHost's own events).</summary>
    public IReadOnlyList<string> Recent(string resource)
    {
        lock (_gate)
        {
            return _recent.TryGetValue(resource, out var recent) ? [.. recent] : [];
        }
    }
}
