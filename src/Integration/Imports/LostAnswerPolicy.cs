namespace Integration.Imports;

/// <summary>
/// What to do with an upload whose whole body may have reached Dragonfruit while its answer never came back (the
/// connection failed or the attempt timed out after the last byte, or the process died waiting). Dragonfruit has no
/// idempotency key and no import-status call, so nothing on our side can tell whether it imported the rows.
/// </summary>
public enum LostAnswerPolicy
{
    /// <summary>
    /// Send nothing more for that file: its report and ledger say <c>outcome_unknown</c> with the part, its rows and when
    /// its body was sent, and an operator settles it (<c>integration imports resolve BLOB --arrived|--lost</c>).
    /// Nothing is imported twice; nothing is lost either, the file waits for a decision.
    /// </summary>
    Hold,

    /// <summary>Send it again, as for any transient failure: nothing waits for an operator, a part may be imported twice.</summary>
    Resend,
}
