using Azure;

namespace Integration.Common;

/// <summary>
/// Whether a storage call failed because storage could not be reached or answered that it is busy or failing (an
/// outage), as opposed to answering no (404, 409, 412: a fact about the data). The SDK reports a call whose retries all
/// failed as an <see cref="AggregateException"/> of the tries' failures.
/// </summary>
public static class StorageUnavailable
{
    public static bool Is(Exception exception) => exception switch
    {
        RequestFailedException failed => failed.Status is 0 or 408 or 429 or >= 500,
        AggregateException { InnerExceptions.Count: > 0 } all => all.InnerExceptions.All(Is),
        _ => false,
    };
}
