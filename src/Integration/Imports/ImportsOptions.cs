using System.ComponentModel.DataAnnotations;
using Integration.Common;

namespace Integration.Imports;

/// <summary>CSV imports into Dragonfruit (section <c>Imports</c>); the retry/timeout keys govern the upload calls.</summary>
public sealed class ImportsOptions : PartnerResilienceOptions
{
    public const string SectionName = "Imports";

    public ImportsOptions()
    {
        AttemptTimeout = TimeSpan.FromMinutes(4);
        TotalTimeout = TimeSpan.FromMinutes(8); // below host.json functionTimeout (10 min)
        RetryBaseDelay = TimeSpan.FromSeconds(2);
        RetryMaxDelay = TimeSpan.FromSeconds(30);
    }

    /// <summary>Container upstream systems drop into: <c>{customer_id}/{sites|site_contacts}/{file}.csv</c>.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string Container { get; set; } = "imports";

    /// <summary>Container receiving one JSON report per import (and a CSV of failing rows), under the drop's own path.</summary>
    [Required, RegularExpression(ContainerPattern)]
    public string ResultsContainer { get; set; } = "import-results";

    /// <summary>Azure Table holding the import ledger (one row per blob version, one per part).</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string LedgerTable { get; set; } = "ImportLedger";

    /// <summary>Files larger than this are rejected without a partner call.</summary>
    [Range(1L, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// Files up to this size are checked in full before any partner call (a read of their own). Larger files have their
    /// start checked first (<see cref="StartCheckBytes"/>: signatures, encoding, header) and the rest while they upload,
    /// so they are read once: a problem found then stops the upload before its last byte (Dragonfruit never receives a
    /// complete request) and the import is rejected like any other. Set it to <see cref="MaxFileBytes"/> to always check first.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long PrevalidateMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How much of a file above <see cref="PrevalidateMaxBytes"/> is checked before its upload starts.</summary>
    [Range(1024L, long.MaxValue)]
    public long StartCheckBytes { get; set; } = 2L * 1024 * 1024;

    /// <summary>
    /// Uploads of at least this many bytes send <c>Expect: 100-continue</c>: a partner that refuses them (413 for size,
    /// 401) answers before the body goes out instead of after it has all been read. One round trip more per upload.
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long ExpectContinueMinBytes { get; set; } = 4L * 1024 * 1024;

    /// <summary>After a 413, the file is split on record boundaries into parts of at most this many bytes (header included).</summary>
    [Range(1024L, long.MaxValue)]
    public long MaxPartBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// An upload whose body was sent in full but whose answer was lost (connection failure or attempt timeout after the
    /// last byte, or the process died waiting): <see cref="LostAnswerPolicy.Hold"/> (default) waits for an operator,
    /// <see cref="LostAnswerPolicy.Resend"/> sends it again and may import it twice.
    /// </summary>
    public LostAnswerPolicy WhenAnswerLost { get; set; } = LostAnswerPolicy.Hold;

    /// <summary>
    /// Files up to this size are read once, when the run opens them (one storage call gives version, length and content),
    /// and checked and sent from memory. Of larger files, streamed by ranges, the same call keeps this many first bytes
    /// (the check of their start reads no more when <see cref="StartCheckBytes"/> is not larger).
    /// </summary>
    [Range(0L, 64L * 1024 * 1024)]
    public long BufferMaxBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// How long a run's claim on a blob version lasts (renewed before each upload when less than
    /// <see cref="PartnerResilienceOptions.TotalTimeout"/> and a quarter of it is left). Another run of the same version
    /// sends nothing while it is held, and takes it over once it expired (its holder died): a file whose run died waits
    /// that long. A run holding Dragonfruit's answer while storage is down keeps trying to record it until then. Must
    /// exceed TotalTimeout plus a quarter of it (at least 5 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "1.00:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// A file read in full before its upload (checked first, up to <see cref="PrevalidateMaxBytes"/>; or split into parts)
    /// is copied to local disk by that read and its uploads read the copy, so storage is read once. At most this many bytes
    /// of copies at a time per process; 0: never (the uploads read storage again).
    /// </summary>
    [Range(0L, long.MaxValue)]
    public long SpoolMaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Folder of the local copies; empty: the system's temporary folder, unless that is memory-backed (tmpfs).</summary>
    public string SpoolDirectory { get; set; } = "";

    /// <summary>Disk space a local copy must leave free; a file that would leave less is read from storage again.</summary>
    [Range(0L, long.MaxValue)]
    public long SpoolFreeBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>Uploads of one file in one run at most (parts, 413 refusals and lost-answer resends): a file that needs more fails.</summary>
    [Range(1, 100_000)]
    public int MaxUploadsPerFile { get; set; } = 1000;

    /// <summary>
    /// Runs of one blob version that may end with Dragonfruit unavailable; the last one marks it <c>poisoned</c> (no more
    /// automatic tries: an operator re-imports it). Keep it at host.json's <c>extensions.blobs.poisonBlobThreshold</c>.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Azure Table remembering Dragonfruit's size limit (largest accepted, smallest refused upload).</summary>
    [Required, RegularExpression("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    public string SizeLimitsTable { get; set; } = "ImportSizeLimits";

    /// <summary>How long a learned size limit is trusted (the partner may change its limit).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan SizeLimitMemory { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often a running instance reads the learned size limit again (others may have learned something).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan SizeLimitRefresh { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Row errors kept per import (report, failing-rows CSV); beyond it they are counted only.</summary>
    [Range(0, 10_000_000)]
    public int MaxReportedRowErrors { get; set; } = 100_000;

    /// <summary>Characters of Dragonfruit's raw <c>data.errors</c> kept per upload in the report; beyond it, cut and said so.</summary>
    [Range(0, 100_000_000)]
    public int MaxRawErrorChars { get; set; } = 64 * 1024;

    /// <summary>The flat app setting holding the reconciliation timer's NCRONTAB schedule (flat for the scale controller, as TokenRefreshSchedule).</summary>
    public const string ReconcileScheduleSettingName = "ImportReconcileSchedule";

    /// <summary>The reconciliation (<c>ImportReconcileSchedule</c>) imports drops at least this old without a final ledger status.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromMinutes(30);

    internal override IEnumerable<string> Validate(string section)
    {
        foreach (var failure in base.Validate(section))
        {
            yield return failure;
        }

        if (ClaimDuration <= ClaimNeeded)
        {
            yield return $"{section}:ClaimDuration ({ClaimDuration}) must exceed {section}:TotalTimeout ({TotalTimeout}) plus a quarter of it (at least 5 s), {ClaimNeeded}: a claim must outlast one upload with its retries.";
        }
    }

    /// <summary>What must be left of a claim before an upload starts: one upload with its retries, and a margin.</summary>
    internal TimeSpan ClaimNeeded => TotalTimeout + TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(5).Ticks, TotalTimeout.Ticks / 4));

    private const string ContainerPattern = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";
}
