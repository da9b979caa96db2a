using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Router.Service.Spool;

/// <summary>Registers the spool.</summary>
public static class SpoolExtensions
{
    /// <summary>
    /// Adds <see cref="SpoolOptions"/> (section <c>Router:Spool</c>, validated on start), the <see cref="ImageSpool"/>, the
    /// <see cref="ImageQuarantine"/> for images storage refuses for good,
    /// and the background delivery of spooled entries to storage (which starts with whatever an earlier run left).
    /// </summary>
    public static IHostApplicationBuilder AddSpool(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SpoolOptions>()
            .Bind(builder.Configuration.GetSection(SpoolOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SpoolOptions>, SpoolOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ImageSpool>();
        builder.Services.AddSingleton<ImageQuarantine>();
        builder.Services.AddHostedService<SpoolDeliveryService>();
        return builder;
    }
}
