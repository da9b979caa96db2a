using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Cli.Generation;

/// <summary>
/// The progress of a generation: a live table (one row per image: waiting → partial k of n → stored …) on a terminal,
/// a line per event when the output is not interactive, and nothing with <c>--json</c>.
/// </summary>
internal sealed class GenerationDisplay
{
    private readonly IAnsiConsole _console;
    private readonly bool _quiet;
    private readonly List<string> _notes = [];
    private readonly SortedDictionary<int, (string Status, string? File)> _rows = [];
    private LiveDisplayContext? _live;
    private string _title = "";

    private GenerationDisplay(IAnsiConsole console, bool quiet)
    {
        _console = console;
        _quiet = quiet;
    }

    /// <summary>Runs <paramref name="work"/> with a display on <paramref name="console"/> (none when <paramref name="json"/>).</summary>
    public static async Task<T> ShowAsync<T>(IAnsiConsole console, bool json, Func<GenerationDisplay, Task<T>> work)
    {
        var display = new GenerationDisplay(console, json);
        if (json || !console.Profile.Capabilities.Interactive || !console.Profile.Capabilities.Ansi)
        {
            return await work(display);
        }
        return await console.Live(new Text("connecting…")).AutoClear(false).StartAsync(async live =>
        {
            display._live = live;
            return await work(display);
        });
    }

    public void Start(string runId, string servedBy, int imageCount, string? note)
    {
        _title = $"run {runId}: {servedBy}";
        Resize(imageCount);
        if (note is not null)
        {
            _notes.Add(note);
        }
        Line($"[bold]{Markup.Escape(_title)}[/]{(note is null ? "" : " — " + Markup.Escape(note))}");
        Refresh();
    }

    public void Fallback(string line, int imageCount)
    {
        _notes.Add(line);
        Resize(imageCount);
        Line($"[yellow]{Markup.Escape(line)}[/]");
        Refresh();
    }

    public void Update(int imageIndex, string status, string? file)
    {
        _rows[imageIndex] = (status, file);
        Line($"image {imageIndex}: {Markup.Escape(status)}{(file is null ? "" : " → " + Markup.Escape(file))}");
        Refresh();
    }

    private void Resize(int imageCount)
    {
        _rows.Clear();
        for (var i = 0; i < imageCount; i++)
        {
            _rows[i] = ("waiting", null);
        }
    }

    /// <summary>Without a live table, each event is a line.</summary>
    private void Line(string markup)
    {
        if (!_quiet && _live is null)
        {
            _console.MarkupLine(markup);
        }
    }

    private void Refresh()
    {
        if (_live is null)
        {
            return;
        }
        var table = new Table().Title(Markup.Escape(_title)).AddColumns("image", "status", "file");
        foreach (var (index, (status, file)) in _rows)
        {
            table.AddRow(new Text(index.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(status), new Text(file is null ? "" : Path.GetFileName(file)));
        }
        IRenderable[] parts = [.. _notes.Select(n => new Markup($"[yellow]{Markup.Escape(n)}[/]")), table];
        _live.UpdateTarget(new Rows(parts));
    }
}
