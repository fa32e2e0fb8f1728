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
    /// <summary>The whole body went out and no answer came back (<see cref="LostAnswerPolicy.Hold"/>): Dragonfruit may have imported it.</summary>
    public bool AnswerLost { get; init; }

    public bool IsTransientFailure => (!AnswerLost && TransportFailure is not null) || Status is { } s && Common.TransientHttp.IsTransient((System.Net.HttpStatusCode)s);
}
