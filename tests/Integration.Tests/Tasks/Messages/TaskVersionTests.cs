using Integration.Tasks.Messages;

namespace Integration.Tests.Tasks.Messages;

public sealed class TaskVersionTests
{
    private static readonly DateTimeOffset Noon = new(2025, 1, 31, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Numbers_compare_when_both_sides_have_one()
    {
        Assert.True(new TaskVersion(1, null).TryCompare(new TaskVersion(2, null)) < 0);
        Assert.True(new TaskVersion(10, null).TryCompare(new TaskVersion(9, null)) > 0);
        Assert.Equal(0, new TaskVersion(3, null).TryCompare(new TaskVersion(3, null)));
    }

    [Fact]
    public void Numbers_win_over_times_when_both_sides_have_both()
    {
        var olderNumberNewerTime = new TaskVersion(1, Noon.AddHours(1));
        var newerNumberOlderTime = new TaskVersion(2, Noon);

        Assert.True(olderNumberNewerTime.TryCompare(newerNumberOlderTime) < 0);
    }

    [Fact]
    public void Times_compare_as_instants_when_both_sides_have_one_but_not_both_a_number()
    {
        Assert.True(new TaskVersion(null, Noon).TryCompare(new TaskVersion(null, Noon.AddTicks(1))) < 0);
        Assert.True(new TaskVersion(5, Noon.AddMinutes(1)).TryCompare(new TaskVersion(null, Noon)) > 0);
        Assert.Equal(0, new TaskVersion(null, Noon).TryCompare(new TaskVersion(null, Noon.ToOffset(TimeSpan.FromHours(-5)))));
    }

    [Fact]
    public void Mixed_kinds_are_not_comparable()
    {
        Assert.Null(new TaskVersion(1, null).TryCompare(new TaskVersion(null, Noon)));
        Assert.Null(new TaskVersion(null, Noon).TryCompare(new TaskVersion(1, null)));
        Assert.Null(default(TaskVersion).TryCompare(new TaskVersion(1, Noon)));
        Assert.Null(new TaskVersion(1, Noon).TryCompare(default));
    }

    [Fact]
    public void Versions_read_from_messages_order_updates()
    {
        var older = TaskMessageTestJson.Valid("""{"external_id":"k","version":1,"updated_at":"2025-01-31T12:00:00Z"}""").Version;
        var newer = TaskMessageTestJson.Valid("""{"external_id":"k","version":2}""").Version;
        var timed = TaskMessageTestJson.Valid("""{"external_id":"k","updated_at":"2025-01-31T13:00:00+01:00"}""").Version;

        Assert.True(newer.TryCompare(older) > 0);
        Assert.Equal(0, timed.TryCompare(older));
        Assert.Null(timed.TryCompare(newer));
    }

    [Fact]
    public void Describes_itself()
    {
        Assert.Equal("version 3", new TaskVersion(3, null).ToString());
        Assert.Equal("updated_at 2025-01-31T12:00:00.0000000+00:00", new TaskVersion(null, Noon).ToString());
        Assert.Equal("version 3, updated_at 2025-01-31T12:00:00.0000000+00:00", new TaskVersion(3, Noon).ToString());
        Assert.Equal("no version", default(TaskVersion).ToString());
    }
}
