using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>One uploaded CSV section as read, plus the row errors the import answers with.</summary>
internal sealed record SheetResult(ReceivedSheet Sheet, int ValidRows, IReadOnlyList<int> ErrorRows);

/// <summary>Reads one multipart section in chunks: counts bytes and records, hashes incrementally, keeps the text only when small.</summary>
internal static class SheetReader
{
    private const int ChunkSize = 64 * 1024;

    public static async Task<SheetResult> ReadAsync(string fieldName, string? fileName, Stream body, SandboxOptions options, CancellationToken ct)
    {
        var counter = new CsvRecordCounter(options.RowErrorMarker);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var content = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        long bytes = 0;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ChunkSize), ct)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                bytes += read;
                hash.AppendData(chunk);
                counter.Feed(chunk);
                if (content is not null && bytes > options.KeepContentUpToBytes)
                {
                    content.Dispose();
                    content = null;
                }

                content?.Write(chunk);
            }

            counter.Finish();
            var text = content is null ? null : Encoding.UTF8.GetString(content.GetBuffer(), 0, (int)content.Length);
            var sheet = new ReceivedSheet(fieldName, fileName, bytes, counter.Records, Convert.ToHexStringLower(hash.GetHashAndReset()), text);
            return new SheetResult(sheet, counter.ValidRows, counter.ErrorRows);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (content is not null)
            {
                await content.DisposeAsync();
            }
        }
    }
}
