namespace Integration.Sandbox;

/// <summary>
/// One bulk import the sandbox answered 200, keyed by form field (<c>sites</c>, <c>site_contacts</c>).
/// <paramref name="Status"/> is the status it was answered with.
/// </summary>
public sealed record ReceivedImport(long CustomerId, IReadOnlyDictionary<string, ReceivedSheet> Sheets, DateTimeOffset At, int Status);
