using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Integration.Sandbox.Hosting;

/// <summary>Helpers for routes that stream large request bodies instead of buffering them.</summary>
internal static class RequestBody
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>Removes Kestrel's request body size limit (30 MB by default) for this request; must run before the body is read (see <see cref="UnlimitedRequestBody"/>).</summary>
    public static void LiftSizeLimit(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
    }

    /// <summary>Reads <paramref name="body"/> to its end, discarding it, and returns how many bytes it had.</summary>
    public static async Task<long> DrainAsync(Stream body, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            long bytes = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ChunkSize), ct)) > 0)
            {
                bytes += read;
            }

            return bytes;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
