namespace Pipeline.Grpc.Tests.Interop;

/// <summary>Asserts that streamed messages were delivered one by one, not buffered until the end.</summary>
public static class StreamTiming
{
    /// <summary>
    /// Five messages were sent about 100 ms apart (timestamps are Unix ms of one machine's clock). The first must arrive
    /// at least 200 ms before the last is sent, and the arrivals must be spread out like the sends: at least three of
    /// the four gaps are 50 ms or more (one gap may shrink when a loaded 2-core machine delays one delivery).
    /// </summary>
    public static void AssertArrivedAsSent(IReadOnlyList<(int Index, long SentAt, long ReceivedAt)> messages)
    {
        Assert.Equal([0, 1, 2, 3, 4], messages.Select(m => m.Index));
        var timeline = string.Join(", ", messages.Select(m => $"#{m.Index} sent {m.SentAt - messages[0].SentAt} received {m.ReceivedAt - messages[0].SentAt}"));
        Assert.True(messages[0].ReceivedAt < messages[^1].SentAt - 200, $"The first message arrived too late: the stream was buffered. {timeline}");
        var gaps = messages.Skip(1).Select((m, i) => m.ReceivedAt - messages[i].ReceivedAt).ToList();
        Assert.True(gaps.Count(g => g >= 50) >= 3, $"Messages arrived bunched together (gaps {string.Join("/", gaps)} ms). {timeline}");
    }
}
