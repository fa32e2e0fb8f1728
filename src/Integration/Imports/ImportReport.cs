namespace Integration.Imports;

/// <summary>The JSON report written beside every drop (in the results container), for the upstream team and support.</summary>
public sealed record ImportReport
{
    public required string Blob { get; init; }
    public string? BlobETag { get; init; }
    public long? CustomerId { get; init; }
    public string? Sheet { get; init; }

    /// <summary>
    /// <c>succeeded</c>, <c>succeeded_with_row_errors</c>, <c>rejected</c> (never sent: see <see cref="Rejection"/>),
    /// <c>failed</c>, <c>retrying</c> (see <see cref="WillBeRetried"/>), <c>poisoned</c> (unavailable in every allowed run),
    /// or <c>outcome_unknown</c> (an answer was lost and the file waits for an operator: see <see cref="AnswerLost"/>). See <see cref="ImportStatus"/>.
    /// </summary>
    public required string Status { get; init; }

    public required DateTimeOffset At { get; init; }
    public Rejection? Rejection { get; init; }
    public long? Rows { get; init; }
    public long? Bytes { get; init; }
    public IReadOnlyList<PartReport> Parts { get; init; } = [];
    public IReadOnlyList<ReportedRowError> RowErrors { get; init; } = [];

    /// <summary>Row errors beyond <see cref="ImportsOptions.MaxReportedRowErrors"/>: counted, not listed.</summary>
    public int RowErrorsOmitted { get; init; }
    public PartnerFailure? Partner { get; init; }
    public string? FailedRowsBlob { get; init; }

    public LostAnswer? AnswerLost { get; init; }

    /// <summary>Set when the failure was transient and another run will come (until <see cref="ImportsOptions.MaxAttempts"/>, then <c>poisoned</c>).</summary>
    public bool WillBeRetried { get; init; }
}

public sealed record Rejection(string Code, string Message, string ExpectedShape);

/// <summary>A part whose whole body reached Dragonfruit without an answer coming back, and what an operator does about it.</summary>
public sealed record LostAnswer(int Part, DateTimeOffset? BodySentAt, string Failure, string WhatToDo);

/// <summary>One upload: the whole file, or (after a 413) one part of it, with the source rows it carried.</summary>
public sealed record PartReport(
    int Index,
    long FirstRow,
    long RowCount,
    long Bytes,
    int? Status,
    string? RequestId,
    int Attempts,
    IReadOnlyDictionary<string, string>? RawErrors,
    string? Note = null);

/// <summary>A row error; <see cref="SourceRow"/> is the 1-based data row of the dropped file (null when the partner gave no row).</summary>
public sealed record ReportedRowError(string Sheet, int Part, long? PartRow, long? SourceRow, string Message);

/// <summary>What support needs: endpoint, time with zone, status, request id, (redacted) body.</summary>
public sealed record PartnerFailure(string Endpoint, DateTimeOffset At, int? Status, string? RequestId, string Body, string? TransportFailure);
