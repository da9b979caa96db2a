using System.Collections.Concurrent;

namespace ProviderEmulator.OpenAI.Responses;

/// <summary>Images of earlier responses, so <c>previous_response_id</c> and <c>image_generation_call</c> inputs can edit them.</summary>
internal sealed class ResponseStore
{
    private const int Capacity = 256;
    private readonly ConcurrentDictionary<string, byte[]> _images = new();

    public void Add(string responseId, string callId, byte[] image)
    {
        if (_images.Count >= Capacity)
        {
            _images.Clear();
        }

        _images[responseId] = image;
        _images[callId] = image;
    }

    public byte[]? Find(string id) => _images.TryGetValue(id, out var image) ? image : null;
}
