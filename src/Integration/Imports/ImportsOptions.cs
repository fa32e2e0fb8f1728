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

    /// <summary>After a 413, the file is split on record boundaries into parts of at most this many bytes (header included).</summary>
    [Range(1024L, long.MaxValue)]
    public long MaxPartBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// An upload whose body was sent in full but whose answer was lost (connection failure or attempt timeout after the
    /// last byte, or the process died waiting): <see cref="LostAnswerPolicy.Hold"/> (default) waits for an operator,
    /// <see cref="LostAnswerPolicy.Resend"/> sends it again and may import it twice.
    /// </summary>
    public LostAnswerPolicy WhenAnswerLost { get; set; } = LostAnswerPolicy.Hold;

    /// <summary>How often the local run (<c>integration run</c>) looks for new blobs; Azure uses the Event Grid blob trigger.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan LocalPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    private const string ContainerPattern = "^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$";
}
