using Integration.DeadLetters;
using Integration.Tests.Fixtures;

namespace Integration.Tests.DeadLetters;

public sealed class DeadLetterInspectorTests(AzuriteFixture azurite) : DeadLetterTestBase(azurite)
{
    private const string Missing = "Rejected422|422|value_error.missing";
    private const string Unavailable = "RetriesExhausted|503|-";

    [Fact]
    public async Task Groups_by_fingerprint_with_count_first_and_last_time_largest_first()
    {
        var ids = new List<string>();
        foreach (var (reason, properties) in new (string, Dictionary<string, object>?)[]
        {
            ("Rejected422", Failure(422, MissingTitle)),            // +0 min
            ("RetriesExhausted", Failure(503, "Service Unavailable", attempt: 8)),
            ("Rejected422", Failure(422, MissingTitle)),            // +20
            ("Rejected422", Failure(422, """{"code":"due_at_invalid"}""")),
            ("Rejected422", Failure(422, MissingTitle)),            // +40
            ("RetriesExhausted", Failure(503, "", attempt: 8)),     // +50
            ("InvalidMessage", null),                                // +60
        })
        {
            ids.Add(await DeadLetterAsync(reason, properties));
            Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var groups = await Inspector.GroupAsync(DeadLetterFilter.All, CancellationToken.None);

        Assert.Equal([Missing, Unavailable, "InvalidMessage|-|-", "Rejected422|422|due_at_invalid"], groups.Select(g => g.Fingerprint));
        var missing = groups[0];
        Assert.Equal(("Rejected422", 422, "value_error.missing", 3), (missing.Reason, missing.HttpStatus, missing.ErrorCode, missing.Count));
        Assert.Equal((Start, Start.AddMinutes(40)), (missing.FirstAt, missing.LastAt));
        Assert.Equal([ids[0], ids[2], ids[4]], missing.SampleMessageIds);
        Assert.Equal((2, Start.AddMinutes(10), Start.AddMinutes(50)), (groups[1].Count, groups[1].FirstAt, groups[1].LastAt));
        Assert.Equal((1, Start.AddMinutes(60)), (groups[2].Count, groups[2].LastAt));
        Assert.Equal(7, (await DeadLettersAsync()).Count); // grouping peeks: nothing moved or hidden
    }

    [Fact]
    public async Task Listing_says_why_each_failed_and_filters_by_fingerprint_reason_time_window_and_id()
    {
        var early = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle, attempt: 1), description: "Fragment rejected the task with HTTP 422.");
        Clock.Advance(TimeSpan.FromHours(1));
        var unavailable = await DeadLetterAsync("RetriesExhausted", Failure(503, "Service Unavailable", attempt: 8));
        Clock.Advance(TimeSpan.FromHours(1));
        var late = await DeadLetterAsync("Rejected422", Failure(422, MissingTitle));

        async Task<List<string>> ListAsync(DeadLetterFilter filter) =>
            await Inspector.ListAsync(filter, CancellationToken.None).Select(m => m.MessageId).ToListAsync();

        Assert.Equal([early, unavailable, late], await ListAsync(DeadLetterFilter.All));
        Assert.Equal([early, late], await ListAsync(new() { Fingerprints = [Missing.ToUpperInvariant()] }));
        Assert.Equal([unavailable], await ListAsync(new() { Reasons = ["retriesexhausted"] }));
        Assert.Equal([unavailable, late], await ListAsync(new() { From = Start.AddHours(1) }));
        Assert.Equal([early, unavailable], await ListAsync(new() { To = Start.AddHours(2) })); // the end is exclusive
        Assert.Equal([late], await ListAsync(new() { Fingerprints = [Missing], From = Start.AddMinutes(30) }));
        Assert.Equal([unavailable], await ListAsync(new() { MessageIds = [unavailable, "unknown"] }));
        Assert.Empty(await ListAsync(new() { Reasons = ["Rejected422"], MessageIds = [unavailable] }));

        var shown = await Inspector.ListAsync(new() { MessageIds = [unavailable] }, CancellationToken.None).SingleAsync();
        Assert.Equal("RetriesExhausted", shown.Reason);
        Assert.Equal((503, 8, "c6951f29-e70d-04c9-3733-50f90b248db2"), (shown.HttpStatus, shown.Attempts, shown.TaskUid));
        Assert.Equal((Start.AddHours(1).AddMinutes(-7), Start.AddHours(1)), (shown.FirstFailureAt, shown.LastFailureAt));
        Assert.Equal(Start.AddHours(1), shown.DeadLetteredAt);
        Assert.Equal(Start.AddHours(1), shown.EnqueuedAt); // sent, received and dead-lettered at the same fake instant
        var first = await Inspector.ListAsync(new() { MessageIds = [early] }, CancellationToken.None).SingleAsync();
        Assert.Equal(("Fragment rejected the task with HTTP 422.", "value_error.missing"), (first.Description, first.PartnerErrorCode));
    }
}
