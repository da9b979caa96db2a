using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Pipeline.ServiceDefaults.ErrorHandling;

/// <summary>Puts <see cref="UnhandledExceptionMiddleware"/> first, before anything the service's Program.cs adds.</summary>
internal sealed class UnhandledExceptionStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<UnhandledExceptionMiddleware>();
        next(app);
    };
}
