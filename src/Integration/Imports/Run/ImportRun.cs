using Integration.Common;
using Integration.Imports.Csv;
using Microsoft.Extensions.Logging;

namespace Integration.Imports;

/// <summary>
/// One run of one claimed blob version, as named steps: <see cref="CheckAsync"/> → <see cref="PlanAsync"/> →
/// <see cref="SendAsync"/> each upload, then what <see cref="ImportDecisions.AfterAnswer"/> says: go on, split, hold,
/// send again, retry later (<see cref="RetryLaterAsync"/>) or finish (<see cref="FinishAsync"/>). Every ledger write is
/// one of <see cref="ImportLedger"/>'s intent methods; the dropped blob itself is never changed.
/// </summary>
internal sealed partial class ImportRun(ImportSource source, ImportClaim claim, ImportRunServices services)
{
    private readonly ImportsOptions _options = services.Options;
    private readonly ILogger<ImportRun> _logger = services.Logger;
    private readonly List<AcceptedUpload> _accepted = [];
    private ImportReport _report = new()
    {
        Blob = source.Name,
        BlobETag = source.Version.ToString(),
        Status = ImportStatus.InProgress,
        At = services.Time.GetUtcNow(),
        Bytes = source.Length,
    };

    private ImportBlobName _name = null!;
    private CsvInspection.Valid? _valid;
    private CsvInspection.Invalid? _problem;
    private CsvRecordIndex? _index;
    private int _uploads;

    private Task<SizeLimit>? _sizeLimit;
    private ImportSpool? _spool;

    public async Task<ImportOutcome> ExecuteAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await StepsAsync(cancellationToken);
        }
        finally
        {
            _spool?.Dispose(); // the source then reads storage again: a disposed copy is never complete
        }
    }

    private async Task<ImportOutcome> StepsAsync(CancellationToken cancellationToken)
    {
        // What Dragonfruit showed of its size limit is read while the file is checked (cached per process).
        _sizeLimit = claim.PartLimit is null ? KnownSizeLimitAsync(cancellationToken) : null;
        if (ImportBlobName.TryParse(source.Name, out var problem) is not { } name)
        {
            return await FinishAsync(_report with { Status = ImportStatus.Rejected, Rejection = new Rejection("BadBlobName", problem!, ImportBlobName.ExpectedShape) }, cancellationToken);
        }

        _name = name;
        _report = _report with { CustomerId = name.CustomerId, Sheet = name.Sheet };
        if (await CheckAsync(cancellationToken) is { } invalid)
        {
            return await FinishAsync(Rejected(invalid), cancellationToken);
        }

        var before = claim.Known ? await services.Ledger.UploadsAsync(source.Name, source.Version, cancellationToken) : [];
        await KeepSentAsync(before, cancellationToken);
        if (before.FirstOrDefault(u => u.Status == PartStatus.AwaitingAnswer) is { } pending)
        {
            if (_options.WhenAnswerLost == LostAnswerPolicy.Hold)
            {
                return await HoldAsync(Held(pending), "the process stopped while waiting for Dragonfruit's answer", cancellationToken);
            }

            LogResendingLostAnswer(pending.Part ?? 0, source.Name, pending.BodySentAt);
        }

        var plan = await PlanAsync(cancellationToken);
        return _report.Rejection is not null ? await FinishAsync(_report, cancellationToken) : await SendAllAsync(plan, cancellationToken);
    }

    /// <summary>
    /// Check: a file up to <see cref="ImportsOptions.PrevalidateMaxBytes"/> in full, before any call; a larger one by its
    /// size and start only (the rest is checked while it uploads, or by the pass that plans its parts).
    /// </summary>
    private async Task<CsvInspection.Invalid?> CheckAsync(CancellationToken cancellationToken)
    {
        var limits = new CsvLimits { MaxBytes = _options.MaxFileBytes };
        if (source.Length <= _options.PrevalidateMaxBytes && !source.IsBuffered && CsvInspector.CheckSize(source.Length, limits) is null)
        {
            // Read from storage once: the same pass keeps record boundaries, so a split after a 413 needs no other read.
            _index = await IndexAsync(IndexGranularity(_options.MaxPartBytes), cancellationToken);
            return _index is null ? _problem : null;
        }

        if (source.Length <= _options.PrevalidateMaxBytes)
        {
            await using var read = await source.OpenAtAsync(0, cancellationToken);
            return Checked(await CsvInspector.InspectAsync(read, limits, cancellationToken));
        }

        if (CsvInspector.CheckSize(source.Length, limits) is { } tooLarge)
        {
            return tooLarge;
        }

        var bytes = Math.Min(source.Length, _options.StartCheckBytes);
        await using (var start = await source.OpenAsync(new ByteRange(0, bytes), cancellationToken))
        {
            var problem = await CsvInspector.InspectStartAsync(start, limits, bytes, cancellationToken);
            source.ForgetPrefix();
            return problem;
        }
    }

    /// <summary>The learned size limit; unknown when it cannot be read (the file then goes whole, and a 413 teaches it again).</summary>
    private async Task<SizeLimit> KnownSizeLimitAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await services.SizeLimits.GetAsync(services.Client.Endpoint, cancellationToken);
        }
        catch (Azure.RequestFailedException e)
        {
            _logger.LogWarning(e, "Could not read Dragonfruit's learned size limit for {BlobName}; planning it as unknown", source.Name);
            return SizeLimit.Unknown;
        }
    }

    /// <summary>What an earlier run already sent stays sent (its row errors read back from their blob).</summary>
    private async Task KeepSentAsync(IReadOnlyList<LedgerEntry> before, CancellationToken cancellationToken)
    {
        foreach (var sent in before.Where(u => u.Status == PartStatus.Sent))
        {
            var report = new PartReport(sent.Part ?? 0, sent.FirstRow ?? 0, sent.RowCount ?? 0, sent.Bytes ?? 0, sent.PartnerStatus, sent.PartnerRequestId, 0, null, sent.Note);
            var errors = sent.RowErrorsBlob is { } blob ? await services.Reports.ReadPartErrorsAsync(blob, cancellationToken) : null;
            var upload = new PlannedUpload(sent.RowKey[(sent.RowKey.IndexOf('|', StringComparison.Ordinal) + 1)..], sent.Part ?? 0, [], sent.Start, sent.Length, sent.FirstRow ?? 0, sent.RowCount ?? 0);
            _accepted.Add(new AcceptedUpload(upload, report with { RawErrors = Cut(errors?.RawErrors) }, errors?.Errors ?? []));
            LogAlreadySent(report.Index, source.Name, sent.PartnerRequestId);
        }
    }

    /// <summary>
    /// Plan: a file already split goes on in parts of its limit after what was sent; a file at least as large as an
    /// upload Dragonfruit refused is split up front (<see cref="ImportDecisions.PlanLimit"/>); any other file goes whole.
    /// </summary>
    private async Task<List<PlannedUpload>> PlanAsync(CancellationToken cancellationToken)
    {
        if (_accepted.Any(a => a.Upload.IsWhole))
        {
            return [];
        }

        var limit = claim.PartLimit ?? ImportDecisions.PlanLimit(source.Length, await _sizeLimit!, _options.MaxPartBytes);
        if (limit is null)
        {
            return [new PlannedUpload(ImportLedger.WholeRow, 0, [new ByteRange(0, source.Length)], null, null, 1, _valid?.DataRows ?? 0)];
        }

        if (claim.PartLimit is null)
        {
            _logger.LogInformation("Blob {BlobName} ({Bytes} bytes) is sent in parts of at most {PartLimit} bytes: Dragonfruit refused uploads that large before", source.Name, source.Length, limit);
            await services.Ledger.SplitAsync(claim, limit.Value, cancellationToken);
        }

        var from = _accepted.Where(a => a.Upload.Start is not null).Select(a => a.Upload.Start!.Value + a.Upload.Length!.Value).DefaultIfEmpty(-1).Max();
        return await PartsAsync(from, limit.Value, cancellationToken);
    }

    /// <summary>
    /// The parts from <paramref name="from"/> (-1: the data's start) under <paramref name="limit"/>, from the record index:
    /// built once (it also finishes the check of a file not checked in full), again only when too coarse for the limit.
    /// </summary>
    private async Task<List<PlannedUpload>> PartsAsync(long from, long limit, CancellationToken cancellationToken)
    {
        foreach (var granularity in new[] { IndexGranularity(limit), 1 })
        {
            if (_index is not null && CsvPartPlanner.Plan(_index, from < 0 ? _index.HeaderEnd : from, limit) is { } plan)
            {
                return [.. Uploads(plan)];
            }

            _index = await IndexAsync(granularity, cancellationToken);
            if (_index is null)
            {
                return []; // the file failed its checks: _report says why
            }
        }

        return [.. Uploads(CsvPartPlanner.Plan(_index!, from < 0 ? _index!.HeaderEnd : from, limit)!)];
    }

    /// <summary>Checkpoints every 1/16 of the part size (at most 64 KiB apart): parts come out within 1/16 of their limit.</summary>
    private static long IndexGranularity(long limit) => Math.Clamp(limit / 16, 1, 64 * 1024);

    private IEnumerable<PlannedUpload> Uploads(CsvPartPlan plan)
    {
        var next = _accepted.Count == 0 ? 0 : _accepted.Max(a => a.Report.Index) + 1;
        return plan.Parts
            .Where(p => p.RowCount > 0 || p.Oversized) // a part of blank lines only carries nothing
            .Select((p, i) => new PlannedUpload(
                UploadFacts.PartKey(p.Start), next + i, [new ByteRange(plan.HeaderStart, plan.HeaderLength), new ByteRange(p.Start, p.Length)], p.Start, p.Length, p.FirstRow, p.RowCount, p.Oversized));
    }

    /// <summary>
    /// The pass that finds record boundaries; for a file not checked in full yet, it finishes the check too. Read from
    /// storage, the file is copied to local disk on the way when there is room (<see cref="ImportSpools"/>), and its
    /// uploads then read that copy.
    /// </summary>
    private async Task<CsvRecordIndex?> IndexAsync(long granularity, CancellationToken cancellationToken)
    {
        var check = _valid is null ? new CsvInspector.CsvIncrementalInspection(new CsvLimits { MaxBytes = _options.MaxFileBytes }) : null;
        var spool = _spool is null && !source.IsBuffered ? services.Spools.TryCreate(source.Name, source.Length) : null;
        try
        {
            await using var read = await source.OpenAtAsync(0, cancellationToken);
            await using var copying = spool?.Writing(read);
            await using var inspecting = check is null ? null : new InspectingStream(copying ?? read, check);
            var index = await CsvRecordIndex.BuildAsync(inspecting ?? copying ?? read, granularity, cancellationToken);
            if (check is not null && Checked(check.Complete()) is not null)
            {
                return null;
            }

            if (spool is { IsComplete: true })
            {
                (_spool, spool) = (spool, null);
                source.ReadFrom(_spool);
            }

            return index;
        }
        catch (InvalidDataException) when (check is not null)
        {
            Checked(check.Complete());
            return null;
        }
        finally
        {
            spool?.Dispose(); // not complete (or the file failed its checks): nothing reads it
        }
    }

    private CsvInspection.Invalid? Checked(CsvInspection inspection)
    {
        if (inspection is CsvInspection.Valid valid)
        {
            _valid = valid;
            _report = _report with { Rows = valid.DataRows };
            return null;
        }

        _problem = (CsvInspection.Invalid)inspection;
        _report = Rejected(_problem);
        return _problem;
    }
}
