using System.Net;
using Integration.Common;

namespace Integration.Tests.Common;

public sealed class TransientHttpTests
{
    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(408, false)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(413, false)]
    [InlineData(422, false)]
    [InlineData(200, false)]
    public void Only_429_and_5xx_are_transient(int status, bool transient) =>
        Assert.Equal(transient, TransientHttp.IsTransient((HttpStatusCode)status));
}
