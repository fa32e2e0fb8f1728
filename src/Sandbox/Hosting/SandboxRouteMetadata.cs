using Microsoft.AspNetCore.Builder;

namespace Integration.Sandbox.Hosting;

/// <summary>
/// Endpoint metadata naming the route key under which requests are recorded and faults are applied.
/// <paramref name="RecordBody"/> false keeps the body out of the <see cref="CallLog"/> (and unbuffered) for streaming routes.
/// </summary>
internal sealed record SandboxRouteMetadata(string Key, bool RecordBody = true);

internal static class SandboxRouteExtensions
{
    /// <summary>Records this endpoint's requests in the <see cref="CallLog"/> and lets <see cref="FaultInjector"/> faults target it.</summary>
    public static TBuilder AsSandboxRoute<TBuilder>(this TBuilder builder, string key, bool recordBody = true)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new SandboxRouteMetadata(key, recordBody));
}
