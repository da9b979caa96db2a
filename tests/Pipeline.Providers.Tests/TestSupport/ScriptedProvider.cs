using Pipeline.Contracts.Provider.V1;

namespace Pipeline.Providers.Tests.TestSupport;

/// <summary>
/// An <see cref="IImageProvider"/> whose behaviour each test writes (frames to yield, failures to throw, per attempt), to
/// test the library's service around the seam. It is registered exactly as adapters register theirs.
/// </summary>
internal sealed class ScriptedProvider(HttpClient http, ProviderScript script) : IImageProvider
{
    public IAsyncEnumerable<ProviderFrame> GenerateAsync(ProviderRequest request, ProviderCallContext context, CancellationToken cancellationToken) =>
        script.Run(request, context, http, cancellationToken);
}

/// <summary>What the scripted provider does on attempt 1, 2, …; counts attempts.</summary>
internal sealed class ProviderScript
{
    private int _attempts;

    public delegate IAsyncEnumerable<ProviderFrame> Step(int attempt, ProviderRequest request, ProviderCallContext context, CancellationToken cancellationToken);

    public Step Steps { get; set; } = (_, _, _, _) => AsyncEnumerable.Empty<ProviderFrame>();

    public int Attempts => Volatile.Read(ref _attempts);

    /// <summary>The context of the latest attempt.</summary>
    public ProviderCallContext? LastContext { get; private set; }

    /// <summary>The HttpClient the latest attempt's provider was given.</summary>
    public HttpClient? LastHttpClient { get; private set; }

    public IAsyncEnumerable<ProviderFrame> Run(ProviderRequest request, ProviderCallContext context, HttpClient http, CancellationToken cancellationToken)
    {
        LastContext = context;
        LastHttpClient = http;
        return Steps(Interlocked.Increment(ref _attempts), request, context, cancellationToken);
    }
}
