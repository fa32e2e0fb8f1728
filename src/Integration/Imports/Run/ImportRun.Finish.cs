using Integration.Common;
using Integration.Imports.Csv;
using Microsoft.Extensions.Logging;

namespace Integration.Imports;

internal sealed partial class ImportRun
{
    /// <summary>
    /// Finish: the report beside the drop, then the import row's final status (the claim is given up); both recorded
    /// through a storage outage while the claim lasts (<see cref="RecordAsync{T}"/>).
    /// </summary>
    private async Task<ImportOutcome> FinishAsync(ImportReport report, CancellationToken cancellationToken)
    {
        var reportBlob = await RecordAsync("the report", ct => services.Reports.WriteAsync(report, ct), cancellationToken);
        var lastPart = report.Parts is [.., var last] ? last : null;
        await RecordAsync(
            "the import's final status",
            ct => services.Ledger.FinishAsync(claim, report.Status, reportBlob, report.Partner?.Status ?? lastPart?.Status, report.Partner?.RequestId ?? lastPart?.RequestId, ct),
            cancellationToken);
        var level = report.Status switch
        {
            ImportStatus.Succeeded => LogLevel.Information,
            ImportStatus.Unknown => LogLevel.Error,
            _ => LogLevel.Warning,
        };
        _logger.Log(level, "Import of {BlobName} for customer {CustomerId} sheet {Sheet}: {Status} ({RowErrors} row errors, {Parts} part(s)); report {ReportBlob}{Reason}",
            source.Name, report.CustomerId, report.Sheet, report.Status, report.RowErrors.Count + report.RowErrorsOmitted, report.Parts.Count, reportBlob,
            report.Rejection is { } r ? $"; {r.Message}" : "");
        return new ImportOutcome(report.Status, reportBlob, AlreadyImported: false);
    }

    /// <summary>Every upload accepted: row errors mapped to the dropped file's rows (up to a cap), and a CSV of the failing rows.</summary>
    private async Task<ImportOutcome> SucceededAsync(CancellationToken cancellationToken)
    {
        var all = _accepted.OrderBy(a => a.Report.Index)
            .SelectMany(a => a.Errors.Select(e => new ReportedRowError(e.Sheet, a.Report.Index, e.Row, e.Row is { } n ? a.Upload.FirstRow - 1 + n : null, e.Message)));
        var kept = new List<ReportedRowError>();
        var omitted = 0;
        foreach (var error in all)
        {
            if (kept.Count < _options.MaxReportedRowErrors)
            {
                kept.Add(error);
            }
            else
            {
                omitted++;
            }
        }

        var failedRows = kept.Any(e => e.SourceRow is not null) && _valid is not null
            ? await RecordAsync("the failed rows", ct => services.Reports.WriteFailedRowsAsync(source, _valid.Header, kept, ct), cancellationToken)
            : null;
        return await FinishAsync(_report with
        {
            Status = kept.Count + omitted == 0 ? ImportStatus.Succeeded : ImportStatus.SucceededWithRowErrors,
            Parts = Reports(),
            RowErrors = kept,
            RowErrorsOmitted = omitted,
            FailedRowsBlob = failedRows,
        }, cancellationToken);
    }

    /// <summary>
    /// Hold: an upload went out in full and its answer was lost (<see cref="LostAnswerPolicy.Hold"/>): sends nothing
    /// more, and reports what an operator needs to check in Dragonfruit and how to settle it.
    /// </summary>
    private async Task<ImportOutcome> HoldAsync(HeldUpload held, string failure, CancellationToken cancellationToken)
    {
        var rows = held.RowCount > 0 ? $"{held.RowCount} rows (data rows {held.FirstRow} to {held.FirstRow + held.RowCount - 1} of the file)" : "its rows";
        var whatToDo = $"Check in Dragonfruit whether customer {_report.CustomerId} received {rows} of {_report.Sheet} ({held.Bytes} bytes) around {held.BodySentAt:u}. "
            + $"Then run `integration imports resolve {source.Name} --arrived` to go on without sending it again, or `--lost` to send it again.";
        _logger.LogError(
            "Import of {BlobName} for customer {CustomerId} held: part {Part} went out in full at {BodySentAt} and its answer was lost ({Failure}); Dragonfruit may have imported it, so nothing more is sent until an operator resolves it",
            source.Name,
            _report.CustomerId,
            held.Part,
            held.BodySentAt,
            failure);
        var part = new PartReport(held.Part, held.FirstRow, held.RowCount, held.Bytes, null, null, 0, null, "answer lost: outcome unknown");
        return await FinishAsync(_report with
        {
            Status = ImportStatus.Unknown,
            Parts = [.. Reports(), part],
            AnswerLost = new LostAnswer(held.Part, held.BodySentAt, failure, whatToDo),
        }, cancellationToken);
    }

    /// <summary>Retry later: Dragonfruit stayed unavailable. The report says so, the claim is given up, and the run ends in an exception the trigger retries.</summary>
    private async Task<ImportOutcome> RetryLaterAsync(PlannedUpload upload, ImportResponse response, CancellationToken cancellationToken)
    {
        var report = _report with { Status = ImportStatus.Retrying, Parts = [.. Reports(), PartReportOf(upload, response)], Partner = Failure(response), WillBeRetried = true };
        var reportBlob = await services.Reports.WriteAsync(report, cancellationToken);
        await services.Ledger.RetryingAsync(claim, reportBlob, cancellationToken);
        throw new ImportRetryException(
            $"Dragonfruit stayed unavailable for {source.Name} part {upload.Index} ({response.TransportFailure ?? $"HTTP {response.Status}"} after {response.Attempts} attempts); run {claim.Attempts} of {_options.MaxAttempts}, the trigger will retry.");
    }

    /// <summary>Poisoned: Dragonfruit stayed unavailable for the last allowed run. No more automatic tries; an operator re-imports it.</summary>
    private Task<ImportOutcome> PoisonedAsync(PlannedUpload upload, ImportResponse response, CancellationToken cancellationToken)
    {
        _logger.LogError(
            "Import of {BlobName} for customer {CustomerId} poisoned: Dragonfruit stayed unavailable in all {Attempts} runs ({Failure}); it is not tried again until an operator re-imports it",
            source.Name,
            _report.CustomerId,
            claim.Attempts,
            response.TransportFailure ?? $"HTTP {response.Status}");
        return FinishAsync(_report with
        {
            Status = ImportStatus.Poisoned,
            Parts = [.. Reports(), PartReportOf(upload, response)],
            Partner = Failure(response),
            WillBeRetried = false,
            Rejection = new Rejection(
                "Poisoned",
                $"Dragonfruit stayed unavailable in all {claim.Attempts} runs (Imports:MaxAttempts); it is not tried again automatically. Re-import it with `integration imports reimport {source.Name}` once Dragonfruit is back.",
                ImportBlobName.ExpectedShape),
        }, cancellationToken);
    }

    private Task<ImportOutcome> RecordTooLargeAsync(PlannedUpload? upload, CancellationToken cancellationToken)
    {
        var row = upload?.FirstRow ?? 0;
        var part = upload is null ? [] : new[] { new PartReport(upload.Index, upload.FirstRow, upload.RowCount, upload.Bytes, 413, null, 0, null) };
        return FinishAsync(_report with
        {
            Status = ImportStatus.Failed,
            Parts = [.. Reports(), .. part],
            Rejection = new Rejection(
                "RecordTooLarge",
                $"Data row {row} alone is {upload?.Bytes} bytes with the header, and Dragonfruit refuses uploads that large (413): it cannot be sent. Split the row's content or ask Dragonfruit to raise its limit.",
                ImportBlobName.ExpectedShape),
        }, cancellationToken);
    }

    private ImportReport Rejected(CsvInspection.Invalid problem, string? note = null) =>
        _report with { Status = ImportStatus.Rejected, Rejection = new Rejection(problem.Code.ToString(), note is null ? problem.Message : $"{problem.Message} ({note})", ImportBlobName.ExpectedShape) };

    private static Rejection? FailReason(NextStep.Fail fail, ImportAnswer? answer) => fail.Code switch
    {
        "TooManyUploads" => new Rejection(fail.Code, "The file needed more uploads than Imports:MaxUploadsPerFile allows; it was not sent in full.", ImportBlobName.ExpectedShape),
        _ when answer is { Success: false, Problem: { } problem } => new Rejection("PartnerAnswer", $"Dragonfruit answered 200 but {problem}.", ImportBlobName.ExpectedShape),
        _ => null,
    };

    private PartReport[] Reports() => [.. _accepted.Select(a => a.Report).OrderBy(r => r.Index)];

    private static PartReport PartReportOf(PlannedUpload upload, ImportResponse response) =>
        new(upload.Index, upload.FirstRow, upload.RowCount, upload.Bytes, response.Status, response.RequestId, response.Attempts, null);

    private PartnerFailure Failure(ImportResponse response) => new(
        $"POST customer/{_name.CustomerId}/sites/import",
        services.Time.GetUtcNow(),
        response.Status,
        response.RequestId,
        SecretRedactor.Redact(response.Body),
        response.TransportFailure);

    /// <summary>Dragonfruit's raw errors, each cut at <see cref="ImportsOptions.MaxRawErrorChars"/> (the row errors themselves are all kept).</summary>
    private Dictionary<string, string>? Cut(IReadOnlyDictionary<string, string>? raw) =>
        raw is null || raw.Count == 0
            ? null
            : raw.ToDictionary(
                e => e.Key,
                e => e.Value.Length <= _options.MaxRawErrorChars ? e.Value : $"{e.Value[.._options.MaxRawErrorChars]}… (cut at Imports:MaxRawErrorChars; {e.Value.Length} characters in all)");

    private static HeldUpload Held(LedgerEntry pending) =>
        new(pending.Part ?? 0, pending.FirstRow ?? 0, pending.RowCount ?? 0, pending.Bytes ?? 0, pending.BodySentAt);
}
