using Azure;
using Integration.Common;

namespace Integration.Tests.Common;

public sealed class StorageUnavailableTests
{
    [Theory]
    [InlineData(0, true)] // not reached (connection refused, timed out)
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(412, false)] // another writer: a fact about the data, not an outage
    public void Storage_is_unavailable_when_unreached_busy_or_failing_not_when_it_answers_no(int status, bool unavailable) =>
        Assert.Equal(unavailable, StorageUnavailable.Is(new RequestFailedException(status, "storage")));

    [Fact]
    public void A_call_whose_retries_all_failed_is_unavailable_only_when_every_try_was()
    {
        Assert.True(StorageUnavailable.Is(new AggregateException(new RequestFailedException("Connection refused"), new RequestFailedException(503, "busy"))));
        Assert.False(StorageUnavailable.Is(new AggregateException(new RequestFailedException("Connection refused"), new RequestFailedException(412, "condition"))));
        Assert.False(StorageUnavailable.Is(new AggregateException()));
        Assert.False(StorageUnavailable.Is(new InvalidOperationException("not storage")));
    }
}
