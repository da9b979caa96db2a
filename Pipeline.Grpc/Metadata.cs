using System.Collections;
using System.Text;

namespace Pipeline.Grpc;

/// <summary>
/// gRPC metadata: ordered key/value entries. Keys are lower-case <c>[0-9a-z_.-]</c>; keys ending in <c>-bin</c>
/// carry bytes (base64 on the wire), others printable ASCII. Keys starting with <c>grpc-</c> are reserved.
/// </summary>
public sealed class Metadata : IEnumerable<Metadata.Entry>
{
    /// <summary>The suffix that marks a binary entry.</summary>
    public const string BinarySuffix = "-bin";

    private readonly List<Entry> _entries = [];

    /// <summary>Number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Adds an ASCII entry.</summary>
    public Metadata Add(string key, string value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds a binary entry; the key must end in <c>-bin</c>.</summary>
    public Metadata Add(string key, byte[] value)
    {
        _entries.Add(new Entry(key, value));
        return this;
    }

    /// <summary>Adds an entry.</summary>
    public void Add(Entry entry) => _entries.Add(entry);

    /// <summary>The first entry with this key (case-insensitive), or null.</summary>
    public Entry? Get(string key) => _entries.FirstOrDefault(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The first ASCII value with this key, or null.</summary>
    public string? GetValue(string key) => Get(key)?.Value;

    /// <summary>The first binary value with this key, or null.</summary>
    public byte[]? GetValueBytes(string key) => Get(key)?.ValueBytes;

    /// <summary>Every entry with this key.</summary>
    public IEnumerable<Entry> GetAll(string key) =>
        _entries.Where(e => string.Equals(e.Key, key, StringComparison.OrdinalIgnoreCase));

    public IEnumerator<Entry> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One metadata entry.</summary>
    public sealed class Entry
    {
        private readonly string? _value;
        private readonly byte[]? _bytes;

        public Entry(string key, string value)
        {
            Key = ValidateKey(key);
            if (IsBinaryKey(Key))
            {
                throw new ArgumentException($"Metadata key '{key}' ends in '-bin'; give its value as bytes.", nameof(key));
            }
            foreach (var c in value)
            {
                if (c is < ' ' or > '~')
                {
                    throw new ArgumentException($"Metadata value for '{key}' must be printable ASCII (0x20-0x7E).", nameof(value));
                }
            }
            _value = value;
        }

        public Entry(string key, byte[] value)
        {
            Key = ValidateKey(key);
            if (!IsBinaryKey(Key))
            {
                throw new ArgumentException($"Binary metadata key '{key}' must end in '-bin'.", nameof(key));
            }
            _bytes = value;
        }

        /// <summary>The lower-case key.</summary>
        public string Key { get; }

        /// <summary>True for <c>-bin</c> entries.</summary>
        public bool IsBinary => _bytes is not null;

        /// <summary>The ASCII value; for a binary entry, its base64 form.</summary>
        public string Value => _value ?? Convert.ToBase64String(_bytes!);

        /// <summary>The bytes; for an ASCII entry, its ASCII bytes.</summary>
        public byte[] ValueBytes => _bytes ?? Encoding.ASCII.GetBytes(_value!);

        public override string ToString() => IsBinary ? $"{Key}: <{_bytes!.Length} bytes>" : $"{Key}: {_value}";

        /// <summary>True when the key ends in <c>-bin</c>.</summary>
        public static bool IsBinaryKey(string key) => key.EndsWith(BinarySuffix, StringComparison.OrdinalIgnoreCase);

        private static string ValidateKey(string key)
        {
            ArgumentException.ThrowIfNullOrEmpty(key);
            var lower = key.ToLowerInvariant();
            foreach (var c in lower)
            {
                if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.'))
                {
                    throw new ArgumentException($"Metadata key '{key}' may only contain 0-9, a-z, '-', '_' and '.'.", nameof(key));
                }
            }
            return lower;
        }
    }
}
