using Dashboard.Telemetry;

namespace Dashboard.Tests.Telemetry;

public sealed class TraceStoreTests
{
    [Fact]
    public void Add_MoreTracesThanMaxTraces_EvictsTheFirstSeen()
    {
        var store = new TraceStore(new DashboardOptions { MaxTraces = 2 });

        store.Add([Span("t1", "a", start: 300)]);
        store.Add([Span("t2", "a", start: 100)]);
        store.Add([Span("t1", "b", start: 301)]);
        store.Add([Span("t3", "a", start: 200)]);

        Assert.Equal(2, store.Count);
        Assert.Null(store.Get("t1"));
        Assert.Equal(["t3", "t2"], store.Recent(10).Select(t => t.TraceId));
    }

    [Fact]
    public void Add_FullTrace_DropsNewSpansButReplacesKnownOnes()
    {
        var store = new TraceStore(new DashboardOptions { MaxSpansPerTrace = 2 });

        var dropped = store.Add([Span("t1", "a"), Span("t1", "b"), Span("t1", "c"), Span("t1", "a", name: "retried")]);

        Assert.Equal(1, dropped);
        var trace = store.Get("T1".ToLowerInvariant())!;
        Assert.Equal(1, trace.DroppedSpans);
        Assert.Equal(["retried", "span"], trace.Spans.Select(s => s.Name).Order());
    }

    [Fact]
    public void Recent_ServiceFilter_OnlyTracesWithASpanOfThatService()
    {
        var store = new TraceStore(new DashboardOptions());
        store.Add([Span("t1", "a", service: "gateway"), Span("t1", "b", service: "router"), Span("t2", "a", service: "storage")]);

        Assert.Equal(["t1"], store.Recent(10, "router").Select(t => t.TraceId));
        Assert.Empty(store.Recent(10, "openai"));
    }

    private static SpanData Span(string traceId, string spanId, ulong start = 100, string name = "span", string service = "router") =>
        new(traceId, spanId, null, service, null, "test", name, "server", start, start + 10, SpanStatus.Unset, null,
            new Dictionary<string, object?>(), [], []);
}
