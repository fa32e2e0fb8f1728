using Integration.Local.Tasks;

namespace Integration.Tests.Local.Tasks;

public sealed class LocalTaskEnvelopeTests
{
    [Fact]
    public void Envelope_keeps_id_raw_body_typed_properties_and_enqueued_time()
    {
        var at = new DateTimeOffset(2025, 5, 1, 12, 30, 0, TimeSpan.Zero);
        var body = new byte[] { 0xEF, 0xBB, 0xBF, (byte)'{', 0x00, 0xFF, (byte)'}' };
        var envelope = new LocalTaskEnvelope("m-1", new BinaryData(body), new Dictionary<string, object>
        {
            ["s"] = "text",
            ["i"] = 7,
            ["l"] = 1L << 40,
            ["d"] = 0.25,
            ["b"] = false,
            ["when"] = at,
            ["id"] = Guid.Empty,
        }, at);

        var back = LocalTaskEnvelope.Parse(envelope.Serialize());

        Assert.Equal("m-1", back.MessageId);
        Assert.Equal(body, back.Body.ToArray());
        Assert.Equal(at, back.EnqueuedAt);
        Assert.Null(back.DeadLetter);
        Assert.Equal("text", back.Properties["s"]);
        Assert.Equal(7, back.Properties["i"]);
        Assert.Equal(1L << 40, back.Properties["l"]);
        Assert.Equal(0.25, back.Properties["d"]);
        Assert.Equal(false, back.Properties["b"]);
        Assert.Equal("2025-05-01T12:30:00.0000000+00:00", back.Properties["when"]);
        Assert.Equal(Guid.Empty.ToString(), back.Properties["id"]);
    }

    [Fact]
    public void Property_of_another_type_is_refused()
    {
        var envelope = new LocalTaskEnvelope("m-1", BinaryData.FromString("x"), new Dictionary<string, object> { ["list"] = new List<int> { 1 } }, DateTimeOffset.UnixEpoch);

        var error = Assert.Throws<ArgumentException>(envelope.Serialize);

        Assert.Contains("'list'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_too_large_for_a_storage_queue_message_is_refused_before_sending()
    {
        var envelope = new LocalTaskEnvelope("m-1", new BinaryData(new byte[50_000]), new Dictionary<string, object>(), DateTimeOffset.UnixEpoch);

        Assert.Throws<ArgumentException>(envelope.Serialize);
    }

    [Theory]
    [InlineData("""{"task":"sync"}""")]
    [InlineData("not json")]
    [InlineData("""{"messageId":"m","body":"%%%","enqueuedAt":"2025-01-01T00:00:00Z"}""")]
    [InlineData("""{"messageId":"m","body":"eA==","enqueuedAt":"2025-01-01T00:00:00Z","properties":{"x":[1]}}""")]
    public void Text_that_is_not_an_envelope_is_a_format_error(string text)
    {
        Assert.Throws<FormatException>(() => LocalTaskEnvelope.Parse(BinaryData.FromString(text)));
    }
}
