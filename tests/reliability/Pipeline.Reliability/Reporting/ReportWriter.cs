using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Reliability.Reporting;

/// <summary>Writes a report: JSON and Markdown in the results folder, <c>latest.md</c>, and the README's table when asked.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Arrows and dashes stay readable; the file is read by people and by tools, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Writes <c>{stamp}.json</c>, <c>{stamp}.md</c> and <c>latest.md</c> to <see cref="ReliabilityOptions.ResultsDirectory"/>
    /// and, when <see cref="ReliabilityOptions.WriteReadme"/>, the summary between the README's markers; returns the Markdown.
    /// </summary>
    public static async Task<string> WriteAsync(ReliabilityReport report, ReliabilityOptions options, CancellationToken cancellationToken)
    {
        var directory = options.ResultsDirectory;
        Directory.CreateDirectory(directory);
        var stamp = report.Date.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var markdown = ReportMarkdown.Full(report);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stamp}.json"), JsonSerializer.Serialize(report, Json), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, $"{stamp}.md"), markdown, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), markdown, cancellationToken);
        if (options.WriteReadme)
        {
            var readme = Path.Combine(RepositoryRoot(), "README.md");
            var summary = string.Join('\n', ReportMarkdown.Summary(report).TrimEnd('\n').Split('\n').Select(line => line.Length == 0 ? ">" : $"> {line}"));
            await File.WriteAllTextAsync(readme, ReadmeSection.Replace(await File.ReadAllTextAsync(readme, cancellationToken), summary), cancellationToken);
        }
        return markdown;
    }

    /// <summary>The folder holding Pipeline.sln, from the current directory up (tests/reliability/run starts at the root).</summary>
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Pipeline.sln above {Environment.CurrentDirectory}: run tests/reliability/run from the repository");
    }
}
