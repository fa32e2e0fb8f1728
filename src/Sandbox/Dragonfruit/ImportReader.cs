using Integration.Sandbox.Hosting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>The sheets of one import body, or the reason it is a bad request.</summary>
internal sealed record ImportRead(IReadOnlyDictionary<string, SheetResult> Sheets, string? Problem);

/// <summary>Walks the multipart sections with <see cref="MultipartReader"/>, streaming each; nothing buffers the whole body.</summary>
internal static class ImportReader
{
    private const int BufferSize = 64 * 1024;

    public static async Task<ImportRead> ReadAsync(string boundary, Stream body, IReadOnlyCollection<string> fields, SandboxOptions options, CancellationToken ct)
    {
        // Form size limits do not apply: sections may be as large as the upload (MaxUploadBytes is enforced on the whole body).
        var reader = new MultipartReader(boundary, body, BufferSize) { BodyLengthLimit = null };
        var sheets = new Dictionary<string, SheetResult>(StringComparer.Ordinal);
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            var disposition = section.GetContentDispositionHeader();
            var name = disposition is null ? "" : HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
            if (disposition is null || !fields.Contains(name))
            {
                await RequestBody.DrainAsync(section.Body, ct);
                continue;
            }

            if (sheets.ContainsKey(name))
            {
                return new ImportRead(sheets, $"Duplicate field {name}");
            }

            sheets[name] = await SheetReader.ReadAsync(name, FileName(disposition), section.Body, options, ct);
        }

        return sheets.Count == 0
            ? new ImportRead(sheets, $"At least one of the file fields {string.Join(", ", fields)} is required")
            : new ImportRead(sheets, null);
    }

    private static string? FileName(ContentDispositionHeaderValue disposition)
    {
        var star = disposition.FileNameStar;
        var name = star.Length > 0 ? star : HeaderUtilities.RemoveQuotes(disposition.FileName);
        return name.Length > 0 ? name.ToString() : null;
    }
}
