using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using ProviderEmulator.Hosting;

namespace ProviderEmulator.OpenAI.Images;

/// <summary>
/// A lenient multipart/form-data reader: quoted or unquoted boundary and Content-Disposition values (the .NET SDK sends
/// <c>name=image</c> unquoted; hand-built bodies send <c>name=image[]</c>), file parts with or without Content-Type.
/// </summary>
internal sealed class MultipartForm
{
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public List<(string Name, string FileName, byte[] Content)> Files { get; } = [];

    public static async Task<MultipartForm> ReadAsync(HttpRequest request)
    {
        var boundary = MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value
            : null;
        if (string.IsNullOrEmpty(boundary))
        {
            throw new ApiErrorException(new ApiError(400, "Invalid multipart/form-data body: the Content-Type has no boundary."));
        }

        var form = new MultipartForm();
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = null, HeadersLengthLimit = 64 * 1024 };
        try
        {
            while (await reader.ReadNextSectionAsync(request.HttpContext.RequestAborted) is { } section)
            {
                var disposition = ParseDisposition(section.ContentDisposition ?? "");
                if (!disposition.TryGetValue("name", out var name))
                {
                    throw new ApiErrorException(new ApiError(400, $"Invalid multipart/form-data body: a part has no name ('{section.ContentDisposition}')."));
                }

                using var buffer = new MemoryStream();
                await section.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
                if (disposition.TryGetValue("filename", out var fileName) || disposition.ContainsKey("filename*"))
                {
                    form.Files.Add((name, fileName ?? "", buffer.ToArray()));
                }
                else
                {
                    form.Fields[name] = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
                }
            }
        }
        catch (IOException ex) when (!request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new ApiErrorException(new ApiError(400, $"Invalid multipart/form-data body: {ex.Message}"));
        }
        catch (InvalidDataException ex)
        {
            throw new ApiErrorException(new ApiError(400, $"Invalid multipart/form-data body: {ex.Message}"));
        }

        return form;
    }

    private static Dictionary<string, string> ParseDisposition(string header)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in header)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }

            if (c == ';' && !quoted)
            {
                parts.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        parts.Add(current.ToString());
        foreach (var part in parts.Skip(1))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                var value = part[(equals + 1)..].Trim();
                if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
                {
                    value = value[1..^1];
                }

                result[part[..equals].Trim()] = value;
            }
        }

        return result;
    }
}
