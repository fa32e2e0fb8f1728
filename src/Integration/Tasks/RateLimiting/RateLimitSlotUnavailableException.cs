namespace Integration.Tasks.RateLimiting;

/// <summary>
/// No Fragment request slot within <see cref="RateLimitOptions.MaxWait"/>: nothing was sent. Not transient for the HTTP
/// pipeline (it must not retry into the same wait); the caller delays the work until <see cref="NextAvailable"/>.
/// </summary>
public sealed class RateLimitSlotUnavailableException : Exception
{
    public RateLimitSlotUnavailableException()
    {
    }

    public RateLimitSlotUnavailableException(string message)
        : base(message)
    {
    }

    public RateLimitSlotUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public RateLimitSlotUnavailableException(DateTimeOffset nextAvailable)
        : base($"No Fragment request slot before {nextAvailable:O}.") => NextAvailable = nextAvailable;

    public DateTimeOffset NextAvailable { get; }
}
