namespace Integration.Sandbox.Admin;

/// <summary>A <see cref="Fault"/> as out-of-process drivers send it to <c>POST /_sandbox/faults/{route}</c>.</summary>
internal sealed record FaultSpec(int? Status, string? Body, double? RetryAfterSeconds, int? DelayMs, bool Hang, bool DropConnection, bool EchoCredential = false)
{
    public string? Problem() =>
        Status is < 100 or > 599 ? "status must be 100-599"
        : RetryAfterSeconds is < 0 ? "retryAfterSeconds must not be negative"
        : DelayMs is < 0 ? "delayMs must not be negative"
        : null;

    public Fault ToFault() => new()
    {
        Status = Status,
        Body = Body,
        RetryAfter = RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Delay = DelayMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        Hang = Hang,
        DropConnection = DropConnection,
        EchoCredential = EchoCredential,
    };
}
