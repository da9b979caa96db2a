using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Pipeline.Providers.Tests.TestSupport;

/// <summary>A loopback HTTP server (Kestrel, port 0) serving images for the download tests; records the paths it was asked for.</summary>
internal sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests;

    private ImageServer(WebApplication app, ConcurrentQueue<string> requests, Uri address)
    {
        _app = app;
        _requests = requests;
        Address = address;
    }

    public Uri Address { get; }

    public IReadOnlyList<string> Requests => [.. _requests];

    public static readonly byte[] Png = TestImages.Png(20, 10);

    public static async Task<ImageServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var requests = new ConcurrentQueue<string>();
        app.Use((context, next) =>
        {
            requests.Enqueue(context.Request.Path);
            return next(context);
        });
        app.MapGet("/image.png", () => Results.Bytes(Png, "image/png"));
        app.MapGet("/redirect", () => Results.Redirect("/image.png"));
        app.MapGet("/big", () => Results.Bytes(new byte[3 * 1024 * 1024], "image/png"));
        app.MapGet("/big-chunked", async context =>
        {
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 48; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        app.MapGet("/slow", async context => await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted));
        app.MapGet("/truncated.png", () => Results.Bytes(TestImages.TruncatedPng(), "image/png"));
        app.MapGet("/text", () => Results.Text("<html>not an image</html>", "text/html"));
        await app.StartAsync().DefaultTimeout();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ImageServer(app, requests, new Uri(address));
    }

    public string Url(string path) => new Uri(Address, path).ToString();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().DefaultTimeout();
        await _app.DisposeAsync();
    }
}
