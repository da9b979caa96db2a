using System.Collections.Concurrent;

namespace ProviderEmulator.OpenAI.Images;

/// <summary>
/// Holds images returned as DALL·E <c>url</c>s and serves them at <c>/emulator/files/{id}</c> (no auth, as the real
/// pre-signed blob URLs), for 60 minutes.
/// </summary>
internal sealed class ImageFileStore(TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(60);
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string MimeType, DateTimeOffset Expires)> _files = new();

    public string Add(byte[] bytes, string mimeType, string extension)
    {
        var now = time.GetUtcNow();
        foreach (var (key, value) in _files)
        {
            if (value.Expires < now)
            {
                _files.TryRemove(key, out _);
            }
        }

        var id = $"img-{Guid.NewGuid():N}.{extension}";
        _files[id] = (bytes, mimeType, now + Lifetime);
        return id;
    }

    public bool TryGet(string id, out byte[] bytes, out string mimeType)
    {
        if (_files.TryGetValue(id, out var file) && file.Expires >= time.GetUtcNow())
        {
            (bytes, mimeType) = (file.Bytes, file.MimeType);
            return true;
        }

        (bytes, mimeType) = ([], "");
        return false;
    }
}
