using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Integration.Sandbox.Hosting;

/// <summary>Endpoint metadata: no request body size limit, so uploads of any size can be streamed (or drained after a fault).</summary>
internal sealed record UnlimitedRequestBodyMetadata;

internal static class UnlimitedRequestBody
{
    public static TBuilder WithUnlimitedRequestBody<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new UnlimitedRequestBodyMetadata());

    /// <summary>
    /// Lifts Kestrel's limit for endpoints marked <see cref="WithUnlimitedRequestBody"/>. Runs right after routing, before call
    /// recording, so a fault that answers without reading the body still lets Kestrel drain it instead of breaking the connection.
    /// </summary>
    public static void UseUnlimitedRequestBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<UnlimitedRequestBodyMetadata>() is not null)
        {
            RequestBody.LiftSizeLimit(context);
        }

        return next(context);
    });
}
