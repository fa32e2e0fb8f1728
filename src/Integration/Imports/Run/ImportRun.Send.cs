using Integration.Common;
using Integration.Imports.Csv;
using Microsoft.Extensions.Logging;

namespace Integration.Imports;

internal sealed partial class ImportRun
{
    /// <summary>Sends the planned uploads in order, doing after each what <see cref="ImportDecisions.AfterAnswer"/> says.</summary>
    private async Task<ImportOutcome> SendAllAsync(List<PlannedUpload> plan, CancellationToken cancellationToken)
    {
        var policy = ImportPolicy.From(_options);
        var resends = 0;
        for (var i = 0; i < plan.Count; i++)
        {
            var upload = plan[i];
            if (upload.Oversized)
            {
                return await RecordTooLargeAsync(upload, cancellationToken);
            }

            var (answer, response, parsed, sent) = await SendAsync(upload, cancellationToken);
            switch (ImportDecisions.AfterAnswer(answer, new ImportProgress(_uploads, resends, claim.Attempts), policy))
            {
                case NextStep.Accept:
                    await AcceptedAsync(sent, response, parsed!, cancellationToken);
                    resends = 0;
                    break;
                case NextStep.SendAgain:
                    LogResendingLostAnswer(sent.Index, source.Name, services.Time.GetUtcNow());
                    resends++;
                    i--;
                    break;
                case NextStep.Split split:
                    LogSplitting(source.Name, sent.Bytes, split.Limit);
                    await services.SizeLimits.RefusedAsync(services.Client.Endpoint, sent.Bytes, cancellationToken);
                    await services.Ledger.SplitAsync(claim, split.Limit, cancellationToken);
                    plan = [.. plan.Take(i), .. await PartsAsync(sent.Start ?? -1, split.Limit, cancellationToken)];
                    if (_report.Rejection is not null)
                    {
                        return await FinishAsync(_report, cancellationToken);
                    }

                    i--;
                    break;
                case NextStep.RecordTooLarge:
                    return await RecordTooLargeAsync(sent, cancellationToken);
                case NextStep.Hold:
                    return await HoldAsync(new HeldUpload(sent.Index, sent.FirstRow, answer.Rows, sent.Bytes, _bodySentAt), response.TransportFailure!, cancellationToken);
                case NextStep.Reject:
                    return await FinishAsync(
                        _report.Rejection is not null ? _report : Rejected(response.RejectedWhileUploading!, "Found while uploading: the upload was stopped before its end, so Dragonfruit received no complete file."),
                        cancellationToken);
                case NextStep.RetryLater:
                    return await RetryLaterAsync(sent, response, cancellationToken);
                case NextStep.Poisoned:
                    return await PoisonedAsync(sent, response, cancellationToken);
                case NextStep.Fail fail:
                    return await FinishAsync(_report with { Status = ImportStatus.Failed, Parts = [.. Reports(), PartReportOf(sent, response)], Partner = Failure(response), Rejection = FailReason(fail, parsed) }, cancellationToken);
            }
        }

        return await SucceededAsync(cancellationToken);
    }

    private DateTimeOffset? _bodySentAt;

    /// <summary>Send one upload (the client retries what is transient), and finish the check of a file checked along it.</summary>
    private async Task<(UploadAnswer Answer, ImportResponse Response, ImportAnswer? Parsed, PlannedUpload Sent)> SendAsync(PlannedUpload upload, CancellationToken cancellationToken)
    {
        await services.Ledger.RenewIfNeededAsync(claim, _options.ClaimNeeded, cancellationToken);
        _uploads++;
        _bodySentAt = null;
        var alongUpload = _valid is null && upload.IsWhole ? new UploadInspection(new CsvLimits { MaxBytes = _options.MaxFileBytes }) : null;
        var request = new ImportUpload(_name.CustomerId, _name.Sheet, _name.FileName, upload.Ranges, source)
        {
            Inspection = alongUpload,
            Listener = new Recorder(this, upload, alongUpload),
        };
        var response = await services.Client.SendAsync(request, source.Name, upload.Index, cancellationToken);
        if (_valid is null && upload.IsWhole && response.Status is not 413 && !response.IsTransientFailure && !response.AnswerLost && response.RejectedWhileUploading is null)
        {
            // The check ran along the upload unless the partner answered before reading it all: finish it.
            var invalid = alongUpload?.Result is { } inspection ? Checked(inspection) : await CheckInFullAsync(cancellationToken);
            if (invalid is not null)
            {
                return (Answer(upload, response, null) with { RejectedWhileUploading = true }, response, null, upload);
            }
        }

        var rows = upload.IsWhole ? _valid?.DataRows ?? (alongUpload?.Result as CsvInspection.Valid)?.DataRows ?? 0 : upload.RowCount;
        upload = upload with { RowCount = rows };
        var parsed = response.Status == 200 ? ImportAnswer.Parse(response.Body, _name.Sheet) : null;
        return (Answer(upload, response, parsed), response, parsed, upload);
    }

    private async Task<CsvInspection.Invalid?> CheckInFullAsync(CancellationToken cancellationToken)
    {
        await using var read = await source.OpenAtAsync(0, cancellationToken);
        return Checked(await CsvInspector.InspectAsync(read, new CsvLimits { MaxBytes = _options.MaxFileBytes }, cancellationToken));
    }

    private static UploadAnswer Answer(PlannedUpload upload, ImportResponse response, ImportAnswer? parsed) => new(
        upload.Bytes,
        upload.RowCount,
        response.Status,
        response.AnswerLost,
        response.IsTransientFailure,
        parsed is { Success: true },
        response.RejectedWhileUploading is not null);

    /// <summary>
    /// Accepted: a part of a split file is recorded at once (a small row; its errors in a blob), the whole file at the
    /// finish; through a storage outage while the claim lasts (<see cref="RecordAsync{T}"/>).
    /// </summary>
    private async Task AcceptedAsync(PlannedUpload upload, ImportResponse response, ImportAnswer answer, CancellationToken cancellationToken)
    {
        var report = PartReportOf(upload, response) with { RawErrors = Cut(answer.RawErrors) };
        if (!upload.IsWhole)
        {
            var errorsBlob = answer.RowErrors.Count == 0 && answer.RawErrors.Count == 0
                ? null
                : await RecordAsync("the part's row errors", ct => services.Reports.WritePartErrorsAsync(source, upload.Key, new SentPartErrors(answer.RawErrors, answer.RowErrors), ct), cancellationToken);
            await RecordAsync(
                "the part as sent",
                ct => services.Ledger.PartSentAsync(source, upload.Facts(upload.RowCount), response.Status ?? 200, response.RequestId, answer.RowErrors.Count, errorsBlob, ct),
                cancellationToken);
        }

        await RecordAsync("the accepted upload size", ct => services.SizeLimits.AcceptedAsync(services.Client.Endpoint, upload.Bytes, ct), cancellationToken);
        _accepted.Add(new AcceptedUpload(upload, report, answer.RowErrors));
    }

    /// <summary>The body's end is about to go out: the ledger records it first (from then on a lost answer is known as such).</summary>
    private async Task BodyCompletingAsync(PlannedUpload upload, UploadInspection? inspection, CancellationToken cancellationToken)
    {
        var at = services.Time.GetUtcNow();
        // A file checked while it uploads has its row count only once its body went out (the check passed by then).
        var rows = upload.RowCount == 0 && inspection?.Result is CsvInspection.Valid valid ? valid.DataRows : upload.RowCount;
        await services.Ledger.UploadAwaitingAnswerAsync(source, upload.Facts(rows), at, cancellationToken);
        _bodySentAt = at;
        LogBodySent(upload.Index, source.Name, at);
    }

    /// <summary>Tells the run the two moments of an upload that the ledger records.</summary>
    private sealed class Recorder(ImportRun run, PlannedUpload upload, UploadInspection? inspection) : IUploadListener
    {
        public Task BodyCompletingAsync(CancellationToken cancellationToken) => run.BodyCompletingAsync(upload, inspection, cancellationToken);

        public Task AnsweredAsync(int status, string? requestId, CancellationToken cancellationToken) => run.AnsweredAsync(upload, status, requestId, cancellationToken);
    }

    private Task AnsweredAsync(PlannedUpload upload, int status, string? requestId, CancellationToken cancellationToken) =>
        RecordAsync("Dragonfruit's answer", ct => services.Ledger.UploadAnsweredAsync(source, upload.Key, status, requestId, ct), cancellationToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Part {Part} of {BlobName} went out in full at {BodySentAt}; awaiting Dragonfruit's answer")]
    private partial void LogBodySent(int part, string blobName, DateTimeOffset bodySentAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dragonfruit answered 413 for {BlobName} ({Bytes} bytes); sending the rest in parts of at most {PartLimit} bytes")]
    private partial void LogSplitting(string blobName, long bytes, long partLimit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Part {Part} of {BlobName} went out in full (at {BodySentAt}) and its answer was lost; sending it again (Imports:WhenAnswerLost=Resend)")]
    private partial void LogResendingLostAnswer(int part, string blobName, DateTimeOffset? bodySentAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Part {Part} of {BlobName} was sent before (request id {PartnerRequestId}); not sending it again")]
    private partial void LogAlreadySent(int part, string blobName, string? partnerRequestId);
}
