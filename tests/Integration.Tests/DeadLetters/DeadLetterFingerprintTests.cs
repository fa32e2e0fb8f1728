using Integration.DeadLetters;
using P = Integration.Tasks.TaskMessageProperties;

namespace Integration.Tests.DeadLetters;

public sealed class DeadLetterFingerprintTests
{
    private static readonly DateTimeOffset Enqueued = new(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("""{"code":"TASK_LOCKED","message":"locked"}""", "TASK_LOCKED")]
    [InlineData("""{"error":{"code":"invalid_due_at","message":"bad date"}}""", "invalid_due_at")]
    [InlineData("""{"error":"not_found"}""", "not_found")]
    [InlineData(DeadLetterTestBase.MissingTitle, "value_error.missing")]
    [InlineData("""{"type":"https://errors.example/conflict","title":"Conflict"}""", "https://errors.example/conflict")]
    [InlineData("""{"code":4012}""", "4012")]
    [InlineData("""{"code":" ","error":{"code":"second_choice"}}""", "second_choice")]
    [InlineData("""{"code":"a|b"}""", "a/b")]
    public void Error_code_is_read_from_the_shapes_Fragment_may_answer_with(string body, string expected) =>
        Assert.Equal(expected, DeadLetterFingerprint.ParseErrorCode(body));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Service Unavailable")]
    [InlineData("""{"detail":"Not Found"}""")]
    [InlineData("""{"code":"TASK_LOC""")] // cut short when it was kept
    [InlineData("""[{"code":"x"}]""")]
    [InlineData("""{"error":{"message":"no code"}}""")]
    [InlineData("""{"code":null,"error":true,"detail":[]}""")]
    public void Body_without_a_recognisable_code_has_none(string? body) =>
        Assert.Null(DeadLetterFingerprint.ParseErrorCode(body));

    [Fact]
    public void A_code_too_long_to_be_one_is_none() =>
        Assert.Null(DeadLetterFingerprint.ParseErrorCode($$"""{"code":"{{new string('x', DeadLetterFingerprint.MaxErrorCodeLength + 1)}}"}"""));

    [Fact]
    public void Fingerprint_joins_reason_status_and_error_code_with_a_dash_for_what_is_missing()
    {
        var rejected = Message("Rejected422", new() { [P.HttpStatus] = 422, [P.PartnerErrorBody] = DeadLetterTestBase.MissingTitle });
        var exhausted = Message("RetriesExhausted", new() { [P.HttpStatus] = "503", [P.PartnerErrorBody] = "Service Unavailable" });
        var invalid = Message("InvalidMessage", []);

        Assert.Equal("Rejected422|422|value_error.missing", rejected.Fingerprint.Key);
        Assert.Equal("RetriesExhausted|503|-", exhausted.Fingerprint.Key);
        Assert.Equal("InvalidMessage|-|-", invalid.Fingerprint.Key);
        Assert.Equal(new DeadLetterFingerprint("Rejected422", 422, "value_error.missing"), rejected.Fingerprint);
    }

    [Fact]
    public void Message_reads_attempts_failure_times_task_and_redrive_count_from_its_properties()
    {
        var message = Message("RetriesExhausted", new()
        {
            [P.Attempt] = 8,
            [P.FirstFailureAt] = "2026-11-27T08:00:00.0000000+00:00",
            [P.LastFailureAt] = "2026-11-27T09:30:00.0000000+00:00",
            [P.TaskUid] = "c6951f29-e70d-04c9-3733-50f90b248db2",
            [P.PartnerRequestId] = "req-7",
            [DeadLetterProperties.RedriveCount] = 2L,
        });

        Assert.Equal(8, message.Attempts);
        Assert.Equal(Enqueued, message.FirstFailureAt);
        Assert.Equal(Enqueued.AddMinutes(90), message.LastFailureAt);
        Assert.Equal("c6951f29-e70d-04c9-3733-50f90b248db2", message.TaskUid);
        Assert.Equal("req-7", message.PartnerRequestId);
        Assert.Equal(2, message.RedriveCount);
        Assert.Null(message.HttpStatus);
        Assert.Equal(Enqueued.AddMinutes(90), message.FailedAt); // no dead-letter time: the last failure
        Assert.Equal(Enqueued.AddHours(5), (message with { DeadLetteredAt = Enqueued.AddHours(5) }).FailedAt);
        Assert.Equal(Enqueued, Message("InvalidMessage", []).FailedAt); // nor a failure: when it was enqueued
        Assert.Equal(0, Message("InvalidMessage", []).RedriveCount);
    }

    private static DeadLetteredMessage Message(string reason, Dictionary<string, object> properties) =>
        new("m1", BinaryData.FromString("{}"), reason, "", properties, Enqueued, null);
}
