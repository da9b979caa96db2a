using System.CommandLine;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Cli.Generation;

/// <summary>The parameter options of generate, edit and regenerate, and where their files go.</summary>
internal sealed class GenerationOptions
{
    public Option<string?> Size { get; } = new("--size") { Description = "WIDTHxHEIGHT or auto (the config's rules say which)" };

    public Option<string?> Quality { get; } = new("--quality") { Description = "low, medium, high or auto (dall-e-3: standard, hd)" };

    public Option<int?> N { get; } = new("--n") { Description = "Number of images" };

    public Option<int?> Partials { get; } = new("--partials") { Description = "Partial (preview) images per image, 0-3; each is saved" };

    public Option<string?> Format { get; } = new Option<string?>("--format") { Description = "Output format" }.AcceptOnlyFromAmong("png", "jpeg", "webp");

    public Option<string?> Out { get; } = new("--out") { Description = "Folder for the images (default: the current folder)" };

    public Option<string?> RunId { get; } = new("--run-id") { Description = "Your id for the new run ([A-Za-z0-9_-], 1-64 chars); the same request again replays it" };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Size, Quality, N, Partials, Format, Out, RunId })
        {
            command.Options.Add(option);
        }
    }

    public GenerationParameters Parameters(ParseResult parse)
    {
        var parameters = new GenerationParameters();
        if (parse.GetValue(Size) is { } size)
        {
            parameters.Size = size;
        }
        if (parse.GetValue(Quality) is { } quality)
        {
            parameters.Quality = quality;
        }
        if (parse.GetValue(N) is { } n)
        {
            parameters.N = n;
        }
        if (parse.GetValue(Partials) is { } partials)
        {
            parameters.PartialImages = partials;
        }
        if (parse.GetValue(Format) is { } format)
        {
            parameters.OutputFormat = format;
        }
        return parameters;
    }

    public string OutDirectory(ParseResult parse) => parse.GetValue(Out) is { Length: > 0 } folder ? Path.GetFullPath(folder) : Directory.GetCurrentDirectory();
}
