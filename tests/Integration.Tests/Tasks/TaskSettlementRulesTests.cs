using Integration.Common;
using Integration.Tasks;
using D = Integration.Tasks.TaskSettlementDecision;

namespace Integration.Tests.Tasks;

/// <summary>The task path's one decision, table-driven: no Azurite, no sandbox, no clock.</summary>
public sealed class TaskSettlementRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    // Defaults: MaxAttempts 8, MaxClientErrorAttempts 3, RetryBaseDelay 30 s, RetryMaxDelay 15 min, AuthFailureDelay 5 min.
    private static readonly TasksOptions Options = new();

    [Theory]
    [InlineData(200, PartnerAnswerClass.Accepted)]
    [InlineData(201, PartnerAnswerClass.Accepted)]
    [InlineData(204, PartnerAnswerClass.Accepted)]
    [InlineData(400, PartnerAnswerClass.Invalid)]
    [InlineData(422, PartnerAnswerClass.Invalid)]
    [InlineData(401, PartnerAnswerClass.CredentialRefused)]
    [InlineData(403, PartnerAnswerClass.CredentialRefused)]
    [InlineData(404, PartnerAnswerClass.ClientError)]
    [InlineData(409, PartnerAnswerClass.ClientError)]
    [InlineData(413, PartnerAnswerClass.ClientError)]
    [InlineData(408, PartnerAnswerClass.Unavailable)]
    [InlineData(429, PartnerAnswerClass.Throttled)]
    [InlineData(500, PartnerAnswerClass.Unavailable)]
    [InlineData(503, PartnerAnswerClass.Unavailable)]
    [InlineData(null, PartnerAnswerClass.Unavailable)]
    [InlineData(302, PartnerAnswerClass.Unavailable)]
    public void Every_status_has_one_class(int? status, PartnerAnswerClass expected) =>
        Assert.Equal(expected, TransientHttp.Classify(status));

    public static TheoryData<string, FragmentAnswer, TaskAttemptHistory, D> Cases() => new()
    {
        { "2xx completes", Answer(200), new(0, 0), new D.Complete() },
        { "2xx completes on the last attempt", Answer(204), new(7, 2), new D.Complete() },
        { "400 dead-letters at once", Answer(400), new(0, 0), new D.DeadLetter("Rejected400", "Fragment rejected the task with HTTP 400.", Refused: true) },
        { "422 dead-letters at once, whatever the history", Answer(422), new(5, 1), new D.DeadLetter("Rejected422", "Fragment rejected the task with HTTP 422.", Refused: true) },
        { "401 pauses and does not count the attempt", Answer(401), new(2, 1), new D.PauseSending(TimeSpan.FromMinutes(5), new(2, 1)) },
        { "403 pauses even past MaxAttempts", Answer(403), new(20, 0), new D.PauseSending(TimeSpan.FromMinutes(5), new(20, 0)) },
        { "first 404 is delayed (backoff 15-30 s, jitter 0)", Answer(404), new(0, 0), new D.Reschedule(TimeSpan.FromSeconds(15), new(1, 1)) },
        { "second 409 is delayed (attempt 2: 30-60 s, jitter 0.5)", Answer(409), new(1, 1), new D.Reschedule(TimeSpan.FromSeconds(45), new(2, 2)) },
        { "third client error dead-letters", Answer(404), new(2, 2), new D.DeadLetter("Rejected404", "Fragment answered HTTP 404 on 3 attempts.", Refused: true) },
        { "client errors counted apart from transient attempts", Answer(404), new(6, 0), new D.Reschedule(TimeSpan.FromMinutes(7.5), new(7, 1)) },
        { "503 is delayed", Answer(503), new(0, 0), new D.Reschedule(TimeSpan.FromSeconds(15), new(1, 0)) },
        { "408 is delayed like 5xx", Answer(408), new(0, 1), new D.Reschedule(TimeSpan.FromSeconds(15), new(1, 1)) },
        { "a timeout is delayed", Answer(null, failure: "TimeoutRejectedException"), new(1, 0), new D.Reschedule(TimeSpan.FromSeconds(30), new(2, 0)) },
        { "429 waits at least its Retry-After", Answer(429, retryAfter: TimeSpan.FromMinutes(2)), new(0, 0), new D.Reschedule(TimeSpan.FromMinutes(2), new(1, 0)) },
        { "a Retry-After shorter than the backoff gives the backoff", Answer(503, retryAfter: TimeSpan.FromSeconds(5)), new(2, 0), new D.Reschedule(TimeSpan.FromSeconds(60), new(3, 0)) },
        { "a Retry-After of zero gives the backoff", Answer(429, retryAfter: TimeSpan.Zero), new(0, 0), new D.Reschedule(TimeSpan.FromSeconds(15), new(1, 0)) },
        { "the backoff is capped at RetryMaxDelay (jitter 0: its half)", Answer(500), new(5, 0), new D.Reschedule(TimeSpan.FromMinutes(7.5), new(6, 0)) },
        { "attempt 7 of 8 is still delayed", Answer(500), new(6, 0), new D.Reschedule(TimeSpan.FromMinutes(7.5), new(7, 0)) },
        { "attempt 8 of 8 dead-letters, naming the last failure", Answer(500), new(7, 0), new D.DeadLetter("RetriesExhausted", "Fragment stayed unavailable for 8 attempts (last: HTTP 500).", Refused: false) },
        { "a timeout on the last attempt dead-letters", Answer(null, failure: "HttpRequestException"), new(7, 0), new D.DeadLetter("RetriesExhausted", "Fragment stayed unavailable for 8 attempts (last: HttpRequestException).", Refused: false) },
        { "no slot: delayed until the slot, attempt not counted", Answer(null, noSlot: Now.AddSeconds(42)), new(3, 1), new D.Reschedule(TimeSpan.FromSeconds(42), null) },
        { "no slot in the past: at least one second", Answer(null, noSlot: Now.AddSeconds(-5)), new(0, 0), new D.Reschedule(TimeSpan.FromSeconds(1), null) },
        { "no slot on the last attempt is not a failure", Answer(null, noSlot: Now.AddSeconds(10)), new(7, 0), new D.Reschedule(TimeSpan.FromSeconds(10), null) },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decides(string @case, FragmentAnswer answer, TaskAttemptHistory history, D expected)
    {
        var jitter = @case.Contains("jitter 0.5", StringComparison.Ordinal) ? 0.5 : 0;

        var decided = TaskSettlementRules.Decide(answer, history, Options, Now, jitter);

        Assert.Equal(expected, decided);
    }

    [Theory]
    [InlineData(1, 0.0, 15)]
    [InlineData(1, 0.999, 29.985)]
    [InlineData(2, 0.0, 30)]
    [InlineData(3, 1.0, 120)]
    [InlineData(30, 0.0, 450)]
    [InlineData(30, 1.0, 900)]
    public void Backoff_doubles_from_the_base_is_capped_and_jittered_over_its_upper_half(int attempt, double jitter, double seconds) =>
        Assert.Equal(seconds, TaskSettlementRules.Backoff(attempt, Options, jitter).TotalSeconds, precision: 3);

    [Theory]
    [InlineData(400, true)]
    [InlineData(422, true)]
    [InlineData(404, true)]
    [InlineData(413, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(408, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(200, false)]
    [InlineData(null, false)]
    public void A_batch_is_split_one_by_one_only_on_an_answer_that_blames_its_content(int? status, bool split) =>
        Assert.Equal(split, TaskSettlementRules.BatchNeedsOneByOne(Answer(status)));

    private static FragmentAnswer Answer(int? status, TimeSpan? retryAfter = null, string? failure = null, DateTimeOffset? noSlot = null) =>
        new(status, status is null ? null : "req-1", "", retryAfter, failure, noSlot);
}
