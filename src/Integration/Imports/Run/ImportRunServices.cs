using Microsoft.Extensions.Logging;

namespace Integration.Imports;

/// <summary>What every <see cref="ImportRun"/> uses, resolved once.</summary>
internal sealed record ImportRunServices(
    DragonfruitImportClient Client,
    ImportLedger Ledger,
    ImportReports Reports,
    UploadSizeLimits SizeLimits,
    ImportSpools Spools,
    ImportsOptions Options,
    TimeProvider Time,
    ILogger<ImportRun> Logger);
