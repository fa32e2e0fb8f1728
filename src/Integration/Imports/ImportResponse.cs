namespace Integration.Imports;

/// <summary>What Dragonfruit finally answered to one upload (after retries), or why no answer came.</summary>
public sealed record ImportResponse(
    int? Status,
    string? RequestId,
    string Body,
    int Attempts,
    TimeSpan Duration,
    string? TransportFailure,
    Csv.CsvInspection.Invalid? RejectedWhileUploading = null)
{
    public bool IsTransientFailure => TransportFailure is not null || Status is { } s && Common.TransientHttp.IsTransient((System.Net.HttpStatusCode)s);
}
