using System.Net.Http.Headers;

namespace Pipeline.Providers.Internal;

/// <summary>Downloads an image URL the provider returned: size cap, timeout, address guard (in the handler).</summary>
internal static class ImageDownloader
{
    public static async Task<byte[]> DownloadAsync(HttpClient client, ImageDownloadOptions options, Uri url, string field, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        var where = $"{field} ({url.Scheme}://{url.Authority}{url.AbsolutePath})";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/*"));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new ProviderException(ProviderFailureKind.Unavailable,
                    $"Downloading {where} answered HTTP {(int)response.StatusCode}", httpStatus: (int)response.StatusCode);
            }
            if (response.Content.Headers.ContentLength is { } length && length > options.MaxBytes)
            {
                throw TooLarge(where, options.MaxBytes, length);
            }
            await using var body = await response.Content.ReadAsStreamAsync(timeout.Token);
            return await ReadCappedAsync(body, options.MaxBytes, where, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new ProviderException(ProviderFailureKind.Timeout,
                $"Downloading {where} took longer than {options.Timeout.TotalSeconds:0.###} s", innerException: ex);
        }
        catch (HttpRequestException ex) when (FindGuard(ex) is { } refused)
        {
            throw new ProviderException(ProviderFailureKind.MalformedResponse, $"{field} points at a refused address: {refused.Message}", innerException: ex);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderException(ProviderFailureKind.Unavailable, $"Downloading {where} failed: {ex.Message}", innerException: ex);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(Stream body, long maxBytes, string where, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw TooLarge(where, maxBytes, null);
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static ProviderException TooLarge(string where, long maxBytes, long? length) => new(ProviderFailureKind.MalformedResponse,
        length is { } l
            ? $"{where} is {l} bytes, more than the download cap of {maxBytes} bytes"
            : $"{where} is more than the download cap of {maxBytes} bytes");

    private static PrivateAddressException? FindGuard(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is PrivateAddressException guard)
            {
                return guard;
            }
        }
        return null;
    }
}
