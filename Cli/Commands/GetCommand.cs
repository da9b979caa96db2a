using System.CommandLine;
using System.Text.Json;
using Pipeline.Cli.Errors;
using Pipeline.Cli.Output;
using Spectre.Console;

namespace Pipeline.Cli.Commands;

/// <summary><c>pipeline get &lt;image id&gt; [-o file]</c>: a stored image over the gateway's HTTP side (<c>GET /images/{id}</c>).</summary>
internal sealed class GetCommand : CliCommand
{
    private readonly Argument<string> _imageId = new("image-id") { Description = "The image id" };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "File to write (default: <image id>.<ext> in the current folder)" };

    public GetCommand(GlobalOptions global, CliHost host) : base("get", "Download a stored image", global, host)
    {
        Arguments.Add(_imageId);
        Options.Add(_output);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken ct)
    {
        using var gateway = Connect(parse);
        var imageId = parse.GetRequiredValue(_imageId);
        using var response = await gateway.Http.GetAsync($"/images/{Uri.EscapeDataString(imageId)}", ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpStatusException(response.StatusCode, await ErrorMessageAsync(response, ct));
        }
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var mimeType = response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream";
        var file = Path.GetFullPath(parse.GetValue(_output) ?? $"{imageId}.{mimeType.Split('/').Last()}");
        await File.WriteAllBytesAsync(file, bytes, ct);
        if (IsJson(parse))
        {
            WriteJson(Json.Serialize(new { imageId, mimeType, bytes = bytes.Length, file }));
        }
        else
        {
            Out.WriteLine($"{file} ({bytes.Length:N0} bytes, {mimeType})");
        }
        return ExitCodes.Success;
    }

    /// <summary>The message of a ProblemDetails or OpenAI error body, else the body itself, else the reason phrase.</summary>
    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.TryGetProperty("detail", out var detail) || root.TryGetProperty("title", out detail)
                || (root.TryGetProperty("error", out var error) && error.TryGetProperty("message", out detail)))
            {
                return detail.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }
        return body.Length > 0 ? body : response.ReasonPhrase ?? response.StatusCode.ToString();
    }
}
