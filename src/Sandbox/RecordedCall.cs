namespace Integration.Sandbox;

/// <summary>
/// One request as it arrived. <paramref name="Status"/> is 0 until answered (and stays 0 for hung or dropped requests).
/// <paramref name="Headers"/> have lowercase names; <paramref name="Body"/> is null for Key Vault calls.
/// </summary>
public sealed record RecordedCall(
    string Route,
    string Method,
    string Path,
    int Status,
    DateTimeOffset At,
    IReadOnlyDictionary<string, string> Headers,
    string? Body);
