using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Integration.Common;
using Integration.Imports.Csv;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

/// <summary>
/// Forwards one dropped CSV to Dragonfruit's bulk import: validate, stream, split on 413, read row errors,
/// report beside the drop, and remember in the ledger what was sent. The dropped blob itself is never changed.
/// </summary>
public sealed class ImportHandler(
    DragonfruitImportClient client,
    ImportLedger ledger,
    ImportReports reports,
    IOptions<ImportsOptions> options,
    TimeProvider time,
    ILogger<ImportHandler> logger)
{
    private const string SplitMarker = "split";

    public async Task<ImportOutcome> HandleAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        using var scope = logger.BeginScope("Blob {BlobName}", blob.Name);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        var etag = properties.ETag;
        var entry = await ledger.GetAsync(blob.Name, etag, ImportLedger.ImportRow, cancellationToken);
        if (entry is { } done && IsFinal(done.Status))
        {
            logger.LogInformation("Blob {BlobName} version {ETag} was already imported ({Status}); not sending it again", blob.Name, etag, done.Status);
            return new ImportOutcome(done.Status, done.ReportBlob, AlreadyImported: true);
        }

        var report = new ImportReport { Blob = blob.Name, BlobETag = etag.ToString(), Status = ImportOutcome.Rejected, At = time.GetUtcNow(), Bytes = properties.ContentLength };
        if (ImportBlobName.TryParse(blob.Name, out var problem) is not { } name)
        {
            return await FinishAsync(blob, etag, report with { Rejection = new Rejection("BadBlobName", problem!, ImportBlobName.ExpectedShape) }, cancellationToken);
        }

        report = report with { CustomerId = name.CustomerId, Sheet = name.Sheet };
        // One streamed GET per range, of exactly that range and this version only: several times faster than
        // OpenReadAsync's range-by-range reads (bench/results). A pass over the file is the range from an offset to the end
        // (an empty range: no Range header, so an empty blob reads as empty).
        Func<ByteRange, CancellationToken, Task<Stream>> openRange = async (range, ct) => (await blob.DownloadStreamingAsync(
            new BlobDownloadOptions { Range = range.Length > 0 ? new Azure.HttpRange(range.Start, range.Length) : new Azure.HttpRange(range.Start), Conditions = new BlobRequestConditions { IfMatch = etag } },
            ct)).Value.Content;
        Func<long, CancellationToken, Task<Stream>> openAt = (offset, ct) => openRange(new ByteRange(offset, properties.ContentLength - offset), ct);
        var limits = new CsvLimits { MaxBytes = options.Value.MaxFileBytes };
        CsvInspection.Valid? valid = null;
        if (properties.ContentLength <= options.Value.PrevalidateMaxBytes)
        {
            var inspection = await InspectAsync(openAt, limits, cancellationToken);
            if (inspection is CsvInspection.Invalid invalid)
            {
                return await FinishAsync(blob, etag, Rejected(report, invalid), cancellationToken);
            }

            valid = (CsvInspection.Valid)inspection;
            report = report with { Rows = valid.DataRows };
        }
        else if (await InspectStartAsync(openRange, properties.ContentLength, limits, cancellationToken) is { } invalid)
        {
            return await FinishAsync(blob, etag, Rejected(report, invalid), cancellationToken);
        }

        // Writes that set values only (no read first): the import row was read above.
        await ledger.MergeAsync(blob.Name, etag, ImportLedger.ImportRow, new Dictionary<string, object?>
        {
            [nameof(LedgerEntry.Status)] = "in_progress",
            [nameof(LedgerEntry.Attempts)] = (entry?.Attempts ?? 0) + 1,
        }, cancellationToken);

        // Resuming a split import: plan the parts again (checking a large file in the same pass).
        var resumeCheck = entry?.Detail == SplitMarker && valid is null ? new CsvInspector.CsvIncrementalInspection(limits) : null;
        var parts = entry?.Detail == SplitMarker
            ? await PlanPartsAsync(openAt, resumeCheck, cancellationToken)
            : [new Planned(0, [new ByteRange(0, properties.ContentLength)], 1, valid?.DataRows ?? 0)];
        if (resumeCheck?.Complete() is { } resumed)
        {
            if (resumed is CsvInspection.Invalid invalid)
            {
                return await FinishAsync(blob, etag, Rejected(report, invalid), cancellationToken);
            }

            valid = (CsvInspection.Valid)resumed;
            report = report with { Rows = valid.DataRows };
        }
        var results = new List<(Planned Part, ImportResponse? Response, PartReport Report, IReadOnlyList<RowError> Errors)>();
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var row = ImportLedger.PartRow(part.Index);
            // A version the ledger did not know before this run has no part rows from an earlier one.
            var before = entry is null ? null : await ledger.GetAsync(blob.Name, etag, row, cancellationToken);
            if (before is { Status: UploadJournal.Sent })
            {
                logger.LogInformation("Part {Part} of {BlobName} was sent before (request id {PartnerRequestId}); not sending it again", part.Index, blob.Name, before.PartnerRequestId);
                results.Add(Resumed(part, before));
                continue;
            }

            if (before is { Status: UploadJournal.AwaitingAnswer })
            {
                if (options.Value.WhenAnswerLost == LostAnswerPolicy.Hold)
                {
                    return await HoldAsync(blob, etag, report, results.Select(r => r.Report), before, "the process stopped while waiting for Dragonfruit's answer", cancellationToken);
                }

                logger.LogWarning("Part {Part} of {BlobName} went out in full at {BodySentAt} and its answer was lost; sending it again (Imports:WhenAnswerLost=Resend)", part.Index, blob.Name, before.BodySentAt);
            }

            // A file not checked in full yet (a large one) is checked while it uploads: read once.
            var alongUpload = valid is null && parts.Count == 1 ? new UploadInspection(limits) : null;
            var upload = new ImportUpload(name.CustomerId, name.Sheet, name.FileName, part.Ranges, openRange)
            {
                Inspection = alongUpload,
                Journal = new UploadJournal(ledger, blob.Name, etag, part.Index, part.FirstRow, part.RowCount, part.Ranges.Sum(r => r.Length), alongUpload, time, logger),
            };
            if (part.Oversized)
            {
                var tooBig = new PartReport(part.Index, part.FirstRow, part.RowCount, upload.Bytes, null, null, 0, null);
                return await FinishAsync(blob, etag, report with
                {
                    Status = ImportOutcome.Failed,
                    Parts = [.. results.Select(r => r.Report), tooBig],
                    Rejection = new Rejection("RecordTooLarge", $"Data row {part.FirstRow} alone is {upload.Bytes} bytes with the header, more than Imports:MaxPartBytes ({options.Value.MaxPartBytes}); Dragonfruit refused the whole file as too large (413), so it cannot be sent.", ImportBlobName.ExpectedShape),
                }, cancellationToken);
            }

            var response = await client.SendAsync(upload, blob.Name, part.Index, cancellationToken);
            if (response.RejectedWhileUploading is { } found)
            {
                return await FinishAsync(blob, etag, Rejected(report, found, "Found while uploading: the upload was stopped before its end, so Dragonfruit received no complete file."), cancellationToken);
            }

            if (response.AnswerLost)
            {
                var pending = await ledger.GetAsync(blob.Name, etag, row, cancellationToken);
                return await HoldAsync(blob, etag, report, results.Select(r => r.Report), pending!, response.TransportFailure!, cancellationToken);
            }

            if (valid is null && response.Status != 413 && !response.IsTransientFailure)
            {
                // The check ran along the upload unless the partner answered before reading it all: finish it.
                var inspection = upload.Inspection?.Result ?? await InspectAsync(openAt, limits, cancellationToken);
                if (inspection is CsvInspection.Invalid invalid)
                {
                    return await FinishAsync(blob, etag, Rejected(report, invalid), cancellationToken);
                }

                valid = (CsvInspection.Valid)inspection;
                report = report with { Rows = valid.DataRows };
                part = part with { RowCount = valid.DataRows };
            }

            if (response.Status == 413 && parts.Count == 1)
            {
                logger.LogWarning("Dragonfruit answered 413 for {BlobName} ({Bytes} bytes); splitting it into parts of at most {MaxPartBytes} bytes", blob.Name, upload.Bytes, options.Value.MaxPartBytes);
                await ledger.MergeAsync(blob.Name, etag, ImportLedger.ImportRow, new Dictionary<string, object?> { [nameof(LedgerEntry.Detail)] = SplitMarker }, cancellationToken);

                // A 413 may come before the upload was read in full: the planning pass then finishes the check too.
                var check = valid is null && upload.Inspection?.Result is null ? new CsvInspector.CsvIncrementalInspection(limits) : null;
                parts = await PlanPartsAsync(openAt, check, cancellationToken);
                if (valid is null)
                {
                    var inspection = upload.Inspection?.Result ?? check!.Complete();
                    if (inspection is CsvInspection.Invalid invalid)
                    {
                        return await FinishAsync(blob, etag, Rejected(report, invalid), cancellationToken);
                    }

                    valid = (CsvInspection.Valid)inspection;
                    report = report with { Rows = valid.DataRows };
                }

                i = -1;
                continue;
            }

            var partReport = new PartReport(part.Index, part.FirstRow, part.RowCount, upload.Bytes, response.Status, response.RequestId, response.Attempts, null);
            if (response.IsTransientFailure)
            {
                var failed = report with { Status = ImportOutcome.Failed, Parts = [.. results.Select(r => r.Report), partReport], Partner = Failure(name, response), WillBeRetried = true };
                await reports.WriteAsync(failed, cancellationToken);
                await ledger.MergeAsync(blob.Name, etag, ImportLedger.ImportRow, new Dictionary<string, object?> { [nameof(LedgerEntry.Status)] = "retrying" }, cancellationToken);
                throw new ImportRetryException(
                    $"Dragonfruit stayed unavailable for {blob.Name} part {part.Index} ({response.TransportFailure ?? $"HTTP {response.Status}"} after {response.Attempts} attempts); the trigger will retry.");
            }

            var answer = response.Status == 200 ? ImportAnswer.Parse(response.Body, name.Sheet) : null;
            if (answer is not { Success: true })
            {
                var failed = report with { Status = ImportOutcome.Failed, Parts = [.. results.Select(r => r.Report), partReport], Partner = Failure(name, response) };
                return await FinishAsync(blob, etag, failed, cancellationToken);
            }

            partReport = partReport with { RawErrors = answer.RawErrors.Count == 0 ? null : answer.RawErrors };
            if (parts.Count > 1)
            {
                await ledger.SaveAsync(blob.Name, etag, row, e => (e.Status, e.PartnerStatus, e.PartnerRequestId, e.Detail) = (UploadJournal.Sent, response.Status, response.RequestId, JsonSerializer.Serialize(new SentPart(partReport, answer.RowErrors))), cancellationToken);
            }

            results.Add((part, response, partReport, answer.RowErrors));
        }

        var rowErrors = results.SelectMany(r => r.Errors.Select(e => new ReportedRowError(e.Sheet, r.Part.Index, e.Row, e.Row is { } n ? r.Part.FirstRow - 1 + n : null, e.Message))).ToList();
        var final = report with
        {
            Status = rowErrors.Count == 0 ? ImportOutcome.Succeeded : ImportOutcome.SucceededWithRowErrors,
            Parts = [.. results.Select(r => r.Report)],
            RowErrors = rowErrors,
            FailedRowsBlob = rowErrors.Any(e => e.SourceRow is not null) ? await reports.WriteFailedRowsAsync(blob.Name, valid!.Header, openAt, rowErrors, cancellationToken) : null,
        };
        return await FinishAsync(blob, etag, final, cancellationToken);
    }

    private static async Task<CsvInspection> InspectAsync(Func<long, CancellationToken, Task<Stream>> openAt, CsvLimits limits, CancellationToken cancellationToken)
    {
        await using var source = await openAt(0, cancellationToken);
        return await CsvInspector.InspectAsync(source, limits, cancellationToken);
    }

    /// <summary>Size cap, then the start of the file only (one ranged read): the rest is checked while it uploads.</summary>
    private async Task<CsvInspection.Invalid?> InspectStartAsync(Func<ByteRange, CancellationToken, Task<Stream>> openRange, long length, CsvLimits limits, CancellationToken cancellationToken)
    {
        if (CsvInspector.CheckSize(length, limits) is { } tooLarge)
        {
            return tooLarge;
        }

        var bytes = Math.Min(length, options.Value.StartCheckBytes);
        await using var start = await openRange(new ByteRange(0, bytes), cancellationToken);
        return await CsvInspector.InspectStartAsync(start, limits, bytes, cancellationToken);
    }

    private static ImportReport Rejected(ImportReport report, CsvInspection.Invalid problem, string? note = null) =>
        report with { Status = ImportOutcome.Rejected, Rejection = new Rejection(problem.Code.ToString(), note is null ? problem.Message : $"{problem.Message} ({note})", ImportBlobName.ExpectedShape) };

    private async Task<IReadOnlyList<Planned>> PlanPartsAsync(
        Func<long, CancellationToken, Task<Stream>> openAt,
        CsvInspector.CsvIncrementalInspection? check,
        CancellationToken cancellationToken)
    {
        await using var source = await openAt(0, cancellationToken);
        await using var read = check is null ? null : new InspectingStream(source, check);
        var plan = await CsvPartPlanner.PlanAsync(read ?? source, options.Value.MaxPartBytes, cancellationToken);
        return [.. plan.Parts
            .Where(p => p.RowCount > 0) // a part of blank lines only carries nothing
            .Select(p => new Planned(p.Index, [new ByteRange(plan.HeaderStart, plan.HeaderLength), new ByteRange(p.Start, p.Length)], p.FirstRow, p.RowCount, p.Oversized))];
    }

    private async Task<ImportOutcome> FinishAsync(BlobClient blob, ETag etag, ImportReport report, CancellationToken cancellationToken)
    {
        var reportBlob = await reports.WriteAsync(report, cancellationToken);
        var lastPart = report.Parts is [.., var last] ? last : null;
        await ledger.SaveAsync(blob.Name, etag, ImportLedger.ImportRow, e => (e.Status, e.ReportBlob, e.PartnerStatus, e.PartnerRequestId) =
            (report.Status, reportBlob, report.Partner?.Status ?? lastPart?.Status, report.Partner?.RequestId ?? lastPart?.RequestId), cancellationToken);
        var level = report.Status is ImportOutcome.Succeeded ? LogLevel.Information : LogLevel.Warning;
        logger.Log(level, "Import of {BlobName} for customer {CustomerId} sheet {Sheet}: {Status} ({RowErrors} row errors, {Parts} part(s)); report {ReportBlob}{Reason}",
            blob.Name, report.CustomerId, report.Sheet, report.Status, report.RowErrors.Count, report.Parts.Count, reportBlob,
            report.Rejection is { } r ? $"; {r.Message}" : "");
        return new ImportOutcome(report.Status, reportBlob, AlreadyImported: false);
    }

    /// <summary>
    /// A part went out in full and its answer was lost (<see cref="LostAnswerPolicy.Hold"/>): sends nothing more, and
    /// reports what an operator needs to check in Dragonfruit and how to settle it. The ledger holds it until then.
    /// </summary>
    private async Task<ImportOutcome> HoldAsync(BlobClient blob, ETag etag, ImportReport report, IEnumerable<PartReport> before, LedgerEntry pending, string failure, CancellationToken cancellationToken)
    {
        var part = ImportLedger.PartOf(pending);
        var rows = pending.RowCount is > 0 ? $"{pending.RowCount} rows (data rows {pending.FirstRow} to {pending.FirstRow + pending.RowCount - 1} of the file)" : "its rows";
        var whatToDo = $"Check in Dragonfruit whether customer {report.CustomerId} received {rows} of {report.Sheet} ({pending.Bytes} bytes) around {pending.BodySentAt:u}. "
            + $"Then run `integration imports resolve {blob.Name} --arrived` to go on without sending it again, or `--lost` to send it again.";
        logger.LogError(
            "Import of {BlobName} for customer {CustomerId} held: part {Part} went out in full at {BodySentAt} and its answer was lost ({Failure}); Dragonfruit may have imported it, so nothing more is sent until an operator resolves it",
            blob.Name,
            report.CustomerId,
            part,
            pending.BodySentAt,
            failure);
        var held = new PartReport(part, pending.FirstRow ?? 0, pending.RowCount ?? 0, pending.Bytes ?? 0, null, null, 0, null, "answer lost: outcome unknown");
        return await FinishAsync(blob, etag, report with
        {
            Status = ImportOutcome.Unknown,
            Parts = [.. before, held],
            AnswerLost = new LostAnswer(part, pending.BodySentAt, failure, whatToDo),
        }, cancellationToken);
    }

    private PartnerFailure Failure(ImportBlobName name, ImportResponse response) => new(
        $"POST customer/{name.CustomerId}/sites/import",
        time.GetUtcNow(),
        response.Status,
        response.RequestId,
        SecretRedactor.Redact(response.Body),
        response.TransportFailure);

    private static (Planned, ImportResponse?, PartReport, IReadOnlyList<RowError>) Resumed(Planned part, LedgerEntry sent)
    {
        var saved = JsonSerializer.Deserialize<SentPart>(sent.Detail!)!;
        return (part, null, saved.Report, saved.Errors);
    }

    private static bool IsFinal(string status) =>
        status is ImportOutcome.Succeeded or ImportOutcome.SucceededWithRowErrors or ImportOutcome.Rejected or ImportOutcome.Failed or ImportOutcome.Unknown;

    private sealed record Planned(int Index, IReadOnlyList<ByteRange> Ranges, long FirstRow, long RowCount, bool Oversized = false);
}
