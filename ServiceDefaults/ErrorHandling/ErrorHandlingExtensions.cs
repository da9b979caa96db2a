using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.ServiceDefaults.ErrorHandling;

namespace Microsoft.Extensions.Hosting;

/// <summary>How every Pipeline service answers an exception nobody handled.</summary>
public static class ErrorHandlingExtensions
{
    /// <summary>
    /// Registers ProblemDetails and an exception handler in front of the whole request pipeline: an unhandled exception
    /// becomes a ProblemDetails 500 (a <see cref="Microsoft.AspNetCore.Http.BadHttpRequestException"/> its own 4xx) with
    /// no exception text, stack trace or request header, in every environment. In Development, where
    /// <c>WebApplication</c> puts the developer exception page inside the pipeline, the page answers the same way.
    /// </summary>
    public static IServiceCollection AddUnhandledExceptionProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, UnhandledExceptionStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, UnhandledExceptionPageFilter>());
        return services;
    }
}
