using Integration.Operations;
using Integration.Tasks;
using Integration.Tests.Fixtures;
using Integration.Tests.Tokens;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Operations.Console;

/// <summary><c>GET ops/requests/minutes</c>: the request log counted per UTC minute on the server, against the budget.</summary>
public sealed class RequestMinutesQueryTests(AzuriteFixture azurite) : TokenTestBase(azurite)
{
    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>
    {
        ["Tasks:RequestLogTable"] = $"r{Guid.NewGuid():N}",
        ["Fragment:RateLimit:RequestsPerMinute"] = "50",
    };

    [Fact]
    public async Task Attempts_are_counted_per_minute_with_429s_5xx_and_missing_answers_and_the_budget()
    {
        var log = App.Services.GetRequiredService<RequestLog>();
        var now = App.Clock.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        await AddAsync(log, minute.AddMinutes(-90), 200); // before the window
        await AddAsync(log, minute.AddMinutes(-30).AddSeconds(5), 200, 200, 429, 503, null);
        await AddAsync(log, minute.AddMinutes(-29).AddSeconds(59), 500, 200);

        var counted = await App.Services.GetRequiredService<RequestMinutesQuery>().CountAsync(now.AddHours(-1), CancellationToken.None);

        Assert.Equal(50, counted.Limit);
        Assert.Equal((7, 1, 2), (counted.Requests, counted.Throttled, counted.ServerErrors));
        Assert.Equal(
            [new RequestMinute(minute.AddMinutes(-30), 5, 1, 1, 1), new RequestMinute(minute.AddMinutes(-29), 2, 0, 1, 0)],
            counted.Minutes);
    }

    [Fact]
    public async Task Without_a_queue_it_can_count_the_backlog_says_it_is_not_known_and_why()
    {
        // The Functions app's composition: the task queue is Service Bus, which the app's identity cannot count.
        var counted = await App.Services.GetRequiredService<RequestMinutesQuery>().CountAsync(App.Clock.GetUtcNow().AddHours(-1), CancellationToken.None);

        Assert.Equal((null, null), (counted.Backlog!.Waiting, counted.Backlog.DeadLettered));
        Assert.StartsWith("not known to the app (counting a Service Bus queue needs Manage rights", counted.Backlog.Unknown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_window_longer_than_two_days_is_cut_to_two_days()
    {
        var now = App.Clock.GetUtcNow();

        var counted = await App.Services.GetRequiredService<RequestMinutesQuery>().CountAsync(now.AddDays(-30), CancellationToken.None);

        Assert.Equal(now - RequestMinutesQuery.MaxWindow, counted.Since);
        Assert.Empty(counted.Minutes);
    }

    private static async Task AddAsync(RequestLog log, DateTimeOffset at, params int?[] statuses)
    {
        foreach (var status in statuses)
        {
            await log.AddAsync(new RequestLogEntity { At = at, Endpoint = "PUT /tasks/x", TaskUid = Guid.NewGuid().ToString(), MessageId = "m", Status = status, Attempt = 1 }, CancellationToken.None);
        }
    }
}
