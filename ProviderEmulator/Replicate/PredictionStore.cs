using System.Collections.Concurrent;

namespace ProviderEmulator.Replicate;

/// <summary>The emulator's predictions by id; the oldest are forgotten beyond 1,000.</summary>
internal sealed class PredictionStore
{
    private const int Capacity = 1_000;
    private readonly ConcurrentDictionary<string, Prediction> _predictions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Add(Prediction prediction)
    {
        _predictions[prediction.Id] = prediction;
        _order.Enqueue(prediction.Id);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _predictions.TryRemove(oldest, out _);
        }
    }

    public Prediction? Find(string id) => _predictions.GetValueOrDefault(id);

    /// <summary>A new id in Replicate's style: 26 lowercase base-32 characters.</summary>
    public static string NewId()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        Span<byte> random = stackalloc byte[26];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        return string.Create(26, random.ToArray(), (chars, bytes) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[bytes[i] % 32];
            }
        });
    }
}
