namespace Integration.Imports;

/// <summary>A part Dragonfruit accepted, as its ledger row keeps it (JSON in <see cref="LedgerEntry.Detail"/>), so a resumed import still reports it.</summary>
internal sealed record SentPart(PartReport Report, IReadOnlyList<RowError> Errors);
