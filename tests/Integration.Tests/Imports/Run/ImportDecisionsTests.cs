using Integration.Imports;

namespace Integration.Tests.Imports.Run;

/// <summary>What the run does after each kind of answer: pure, no storage, no HTTP.</summary>
public sealed class ImportDecisionsTests
{
    private static readonly ImportPolicy Hold = new(LostAnswerPolicy.Hold, MaxPartBytes: 20_000, MaxUploadsPerFile: 10, MaxAttempts: 3, MaxResends: 2);
    private static readonly ImportPolicy Resend = Hold with { WhenAnswerLost = LostAnswerPolicy.Resend };

    public static TheoryData<string, UploadAnswer, ImportProgress, ImportPolicy, NextStep> Cases => new()
    {
        { "200 success", Answer(200, success: true), First, Hold, new NextStep.Accept() },
        { "200 without success", Answer(200), First, Hold, new NextStep.Fail("NoSuccess") },
        { "400", Answer(400), First, Hold, new NextStep.Fail("Http400") },
        { "422", Answer(422), First, Hold, new NextStep.Fail("Http422") },
        { "401 after the refresh", Answer(401), First, Hold, new NextStep.Fail("Http401") },
        { "503 past the retries, run 1 of 3", Answer(503, transient: true), First, Hold, new NextStep.RetryLater() },
        { "429 past the retries, run 2 of 3", Answer(429, transient: true), First with { Attempt = 2 }, Hold, new NextStep.RetryLater() },
        { "503 past the retries, run 3 of 3", Answer(503, transient: true), First with { Attempt = 3 }, Hold, new NextStep.Poisoned() },
        { "no connection, last run", Answer(null, transient: true), First with { Attempt = 5 }, Hold, new NextStep.Poisoned() },
        { "answer lost, Hold", Lost, First, Hold, new NextStep.Hold() },
        { "answer lost, Resend", Lost, First, Resend, new NextStep.SendAgain() },
        { "answer lost again, Resend, resends used up", Lost, First with { ResendsOfThisUpload = 2 }, Resend, new NextStep.RetryLater() },
        { "answer lost, Resend, uploads used up", Lost, First with { Uploads = 10 }, Resend, new NextStep.RetryLater() },
        { "answer lost, Resend, last run", Lost, new ImportProgress(1, 2, 3), Resend, new NextStep.Poisoned() },
        { "413, 10,000 bytes", Answer(413) with { Bytes = 10_000, Rows = 50 }, First, Hold, new NextStep.Split(5_000) },
        { "413, above MaxPartBytes", Answer(413) with { Bytes = 1_000_000, Rows = 50 }, First, Hold, new NextStep.Split(20_000) },
        { "413, rows not known yet (checked while uploading)", Answer(413) with { Bytes = 10_000, Rows = 0 }, First, Hold, new NextStep.Split(5_000) },
        { "413, one record", Answer(413) with { Bytes = 10_000, Rows = 1 }, First, Hold, new NextStep.RecordTooLarge() },
        { "413, uploads used up", Answer(413) with { Bytes = 10_000, Rows = 50 }, First with { Uploads = 10 }, Hold, new NextStep.Fail("TooManyUploads") },
        { "failed its checks while uploading", Answer(null) with { RejectedWhileUploading = true }, First, Hold, new NextStep.Reject() },
    };

    private static ImportProgress First => new(Uploads: 1, ResendsOfThisUpload: 0, Attempt: 1);

    private static UploadAnswer Lost => Answer(null) with { AnswerLost = true };

    [Theory]
    [MemberData(nameof(Cases))]
    public void After_an_answer_the_run_does_what_the_table_says(string answer, UploadAnswer given, ImportProgress progress, ImportPolicy policy, NextStep expected)
    {
        Assert.True(expected == ImportDecisions.AfterAnswer(given, progress, policy), answer);
    }

    [Fact]
    public void A_413_halves_the_limit_so_a_file_meets_a_bounded_number_of_them()
    {
        var bytes = 1L << 30;
        var refusals = 0;
        const long partnerCap = 3_000; // far below MaxPartBytes: the old planner sent the same single part forever
        while (bytes > partnerCap)
        {
            var next = ImportDecisions.AfterAnswer(Answer(413) with { Bytes = bytes, Rows = 1000 }, First with { Uploads = refusals + 1 }, Hold with { MaxUploadsPerFile = 1000 });
            bytes = Assert.IsType<NextStep.Split>(next).Limit;
            refusals++;
        }

        Assert.InRange(refusals, 1, 30); // log2(1 GiB / 3 KB) + 1 at most, MaxPartBytes first
    }

    [Theory]
    [InlineData(1_000L, null, null, null)] // nothing known: whole
    [InlineData(1_000L, 5_000L, null, null)] // accepted larger: whole
    [InlineData(10_000L, 5_000L, 20_000L, null)] // between accepted and refused: whole, and learn
    [InlineData(20_000L, 5_000L, 20_000L, 10_000L)] // as large as refused: parts of half the refused (larger than accepted)
    [InlineData(50_000L, 15_000L, 20_000L, 15_000L)] // parts of the largest accepted when it is larger than half the refused
    [InlineData(50_000_000L, null, 40_000_000L, 20_000L)] // never above MaxPartBytes
    public void Known_limits_plan_a_file_up_front(long bytes, long? accepted, long? refused, long? expected)
    {
        Assert.Equal(expected, ImportDecisions.PlanLimit(bytes, new SizeLimit(accepted, refused), maxPartBytes: 20_000));
    }

    private static UploadAnswer Answer(int? status, bool success = false, bool transient = false) =>
        new(Bytes: 1_000, Rows: 10, status, AnswerLost: false, transient, success, RejectedWhileUploading: false);
}
