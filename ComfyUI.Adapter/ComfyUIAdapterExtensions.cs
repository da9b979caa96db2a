using ComfyUI.Adapter.Client;
using Microsoft.Extensions.Options;
using Pipeline.Providers;

namespace ComfyUI.Adapter;

/// <summary>Registration of the ComfyUI adapter.</summary>
public static class ComfyUIAdapterExtensions
{
    /// <summary>The configuration section: <c>ComfyUI:BaseUrl</c>, <c>ComfyUI:InterruptTimeout</c>, <c>ComfyUI:Headers</c>, …</summary>
    public const string SectionName = "ComfyUI";

    /// <summary>A local ComfyUI server, the provider name, and no key (ComfyUI has none).</summary>
    public static readonly ProviderDefaults Defaults = new("comfyui", new Uri("http://127.0.0.1:8188"), "");

    /// <summary>
    /// Adds the provider adapter (<see cref="ProviderAdapterExtensions.AddProviderAdapter{TProvider}"/>) around
    /// <see cref="ComfyUIImageProvider"/>, plus the ComfyUI client options (<c>ComfyUI:InterruptTimeout</c>, validated on start).
    /// </summary>
    public static IHostApplicationBuilder AddComfyUIAdapter(this IHostApplicationBuilder builder)
    {
        builder.AddProviderAdapter<ComfyUIImageProvider>(SectionName, Defaults);
        builder.Services.AddOptions<ComfyUIClientOptions>().Bind(builder.Configuration.GetSection(SectionName)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ComfyUIClientOptions>, ComfyUIClientOptionsValidator>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<ComfyUIClientOptions>>().Value);
        return builder;
    }
}
