using Azure;
using Microsoft.Extensions.Logging;

namespace Integration.Imports;

/// <summary>
/// Where one upload (a whole file or a part) stands, in its ledger part row, written at the two moments that matter:
/// just before the body's end goes out (from then on Dragonfruit may have it all, <see cref="AwaitingAnswer"/>), and
/// when an answer that is not a success comes back (it certainly did not import, <see cref="Answered"/>). A success is
/// recorded by the handler with its row errors (<see cref="Sent"/>). A row left awaiting means the answer was lost.
/// </summary>
internal sealed class UploadJournal(
    ImportLedger ledger,
    string blobName,
    ETag blobETag,
    int part,
    long firstRow,
    long rowCount,
    long bytes,
    UploadInspection? inspection,
    TimeProvider time,
    ILogger logger)
{
    public const string AwaitingAnswer = "awaiting_answer";
    public const string Answered = "answered";
    public const string Sent = "sent";

    /// <summary>An operator found Dragonfruit never got it: send it again.</summary>
    public const string Lost = "lost";

    public async Task BodyCompletingAsync(CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        await ledger.MergeAsync(blobName, blobETag, ImportLedger.PartRow(part), new Dictionary<string, object?>
        {
            [nameof(LedgerEntry.Status)] = AwaitingAnswer,
            [nameof(LedgerEntry.BodySentAt)] = at,
            [nameof(LedgerEntry.FirstRow)] = firstRow,
            [nameof(LedgerEntry.RowCount)] = Rows(),
            [nameof(LedgerEntry.Bytes)] = bytes,
        }, cancellationToken);
        logger.LogDebug("Part {Part} of {BlobName} went out in full at {BodySentAt}; awaiting Dragonfruit's answer", part, blobName, at);
    }

    /// <summary>A file checked while it uploads has its row count only once its body went out (the check passed by then).</summary>
    private long Rows() => rowCount == 0 && inspection?.Result is Csv.CsvInspection.Valid valid ? valid.DataRows : rowCount;

    public Task AnsweredAsync(int status, string? requestId, CancellationToken cancellationToken) =>
        ledger.MergeAsync(blobName, blobETag, ImportLedger.PartRow(part), new Dictionary<string, object?>
        {
            [nameof(LedgerEntry.Status)] = Answered,
            [nameof(LedgerEntry.PartnerStatus)] = status,
            [nameof(LedgerEntry.PartnerRequestId)] = requestId,
        }, cancellationToken);
}
