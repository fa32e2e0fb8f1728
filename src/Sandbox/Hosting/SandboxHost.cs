using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Hosting;

/// <summary>Builds one Kestrel host with no configuration from the working directory or environment, logging to the sandbox's factory.</summary>
internal static class SandboxHost
{
    public static WebApplicationBuilder CreateBuilder(SandboxState state, ILoggerFactory loggers, Action<KestrelServerOptions> listen)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            // Host settings are read when the builder is created; an empty "urls" keeps ASPNETCORE_URLS from reaching Kestrel.
            Args = ["--urls="],
            ApplicationName = typeof(SandboxHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        // No appsettings.json, environment variables (ASPNETCORE_URLS, Kestrel__*) or file watchers: the sandbox is configured in code only.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            listen(kestrel);
        });

        builder.Services.AddSingleton(state.Options);
        builder.Services.AddSingleton(state.Faults);
        builder.Services.AddSingleton(state.Calls);
        builder.Services.AddSingleton(state.Secrets);
        builder.Services.AddSingleton(state.RefreshTokens);
        builder.Services.AddSingleton(state.IssuedTokens);
        builder.Services.AddSingleton(state.Imports);
        builder.Services.AddSingleton(state.Tasks);
        builder.Services.AddSingleton(state.FragmentToken);
        builder.Services.AddSingleton(state.FragmentRateLimit);
        return builder;
    }

    /// <summary>Adds <see cref="CallRecording"/> for requests whose route key <paramref name="routeKey"/> names.</summary>
    public static void UseCallRecording(this WebApplication app, SandboxState state, Func<HttpContext, string?> routeKey, CallRecordingOptions options)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Integration.Sandbox.Calls");
        var recording = new CallRecording(state.Calls, state.Faults, routeKey, options, logger, state.Stopping);
        app.Use(recording.InvokeAsync);
    }

    /// <summary>The address Kestrel really bound (port 0 resolved), as <c>scheme://127.0.0.1:port/</c>.</summary>
    public static Uri BoundUri(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The server exposes no addresses.");
        var bound = new Uri(addresses.Single());
        return new UriBuilder(bound.Scheme, "127.0.0.1", bound.Port, "/").Uri;
    }
}
