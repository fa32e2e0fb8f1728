using Microsoft.AspNetCore.Builder;

namespace Integration.Sandbox.Hosting;

/// <summary>Endpoint metadata naming the route key under which requests are recorded and faults are applied.</summary>
internal sealed record SandboxRouteMetadata(string Key);

internal static class SandboxRouteExtensions
{
    /// <summary>Records this endpoint's requests in the <see cref="CallLog"/> and lets <see cref="FaultInjector"/> faults target it.</summary>
    public static TBuilder AsSandboxRoute<TBuilder>(this TBuilder builder, string key)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new SandboxRouteMetadata(key));
}
