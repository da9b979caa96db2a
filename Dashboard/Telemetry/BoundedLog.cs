namespace Dashboard.Telemetry;

/// <summary>A first-in first-out list that keeps the last <c>capacity</c> items. Not thread-safe: callers lock.</summary>
internal sealed class BoundedLog<T>(int capacity)
{
    private readonly Queue<T> _items = new();

    public void Add(T item)
    {
        _items.Enqueue(item);
        while (_items.Count > capacity)
        {
            _items.Dequeue();
        }
    }

    /// <summary>The last <paramref name="limit"/> items, oldest first.</summary>
    public IReadOnlyList<T> Last(int limit) => [.. _items.Skip(Math.Max(0, _items.Count - limit))];
}
