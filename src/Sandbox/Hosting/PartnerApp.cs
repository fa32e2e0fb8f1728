using System.Net;
using Integration.Sandbox.Admin;
using Integration.Sandbox.Dragonfruit;
using Integration.Sandbox.Fragment;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Hosting;

/// <summary>The plain-HTTP partner listener: Dragonfruit routes, Fragment routes, and the admin routes.</summary>
internal static class PartnerApp
{
    public static WebApplication Build(SandboxState state, ILoggerFactory loggers)
    {
        var builder = SandboxHost.CreateBuilder(state, loggers, kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseRouting();
        app.UseUnlimitedRequestBodies();
        app.UseCallRecording(
            state,
            context => context.GetEndpoint()?.Metadata.GetMetadata<SandboxRouteMetadata>()?.Key,
            new CallRecordingOptions("x-request-id", RecordBody: true));
        app.MapDragonfruit();
        app.MapFragment();
        app.MapSandboxAdmin();
        return app;
    }
}
