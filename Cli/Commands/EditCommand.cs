using System.CommandLine;
using Google.Protobuf;
using Pipeline.Cli.Errors;
using Pipeline.Cli.Generation;
using Pipeline.Contracts.Common.V1;
using Pipeline.Contracts.ImageGen.V1;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline edit "prompt" --image a.png --image b.png [--mask m.png] [--config gpt-image-1_edit]</c></summary>
internal sealed class EditCommand : CliCommand
{
    private readonly Argument<string> _prompt = new("prompt") { Description = "What to change" };
    private readonly Option<string[]> _images = new("--image") { Description = "An input image (PNG, JPEG or WebP); repeat for more", Required = true, Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _mask = new("--mask") { Description = "A PNG mask for the first image (alpha 0 = editable)" };
    private readonly Option<string?> _config = new("--config") { Description = "An edit config (default: the fleet's edit default)" };
    private readonly GenerationOptions _generation = new();

    public EditCommand(GlobalOptions global, CliHost host) : base("edit", "Edit input images following a prompt", global, host)
    {
        Arguments.Add(_prompt);
        Options.Add(_images);
        Options.Add(_mask);
        Options.Add(_config);
        _generation.AddTo(this);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        var inputs = new List<InputImage>();
        foreach (var path in parse.GetRequiredValue(_images))
        {
            inputs.Add(await ReadAsync(path, ct));
        }
        var mask = parse.GetValue(_mask) is { } maskPath ? await ReadAsync(maskPath, ct) : null;
        using var gateway = Connect(parse);
        var config = parse.GetValue(_config);
        var request = new GenerateRequest
        {
            Prompt = parse.GetRequiredValue(_prompt),
            Config = config ?? "",
            Mode = config is null ? "edit" : "",
            RunId = parse.GetValue(_generation.RunId) ?? "",
            Parameters = _generation.Parameters(parse),
            Mask = mask,
            IncludeImageData = true,
        };
        request.InputImages.AddRange(inputs);
        return await GenerationRunner.RunAsync(Out, IsJson(parse), _generation.OutDirectory(parse), parse.GetValue(_generation.Partials),
            token => gateway.Client.Generate(request, gateway.Headers, cancellationToken: token), ct);
    }

    private static async Task<InputImage> ReadAsync(string path, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            throw new CliUsageException($"no such file: {path}");
        }
        var mimeType = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jpg" or ".jpeg" => "image/jpeg",
            ".webp" => "image/webp",
            _ => "image/png",
        };
        return new InputImage { Data = ByteString.CopyFrom(await File.ReadAllBytesAsync(path, ct)), MimeType = mimeType, Filename = Path.GetFileName(path) };
    }
}
