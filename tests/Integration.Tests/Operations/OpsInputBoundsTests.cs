using System.Text;
using System.Text.Json;
using Integration.Operations;

namespace Integration.Tests.Operations;

/// <summary>
/// Every operator input goes through the request types' checks (<see cref="OpsLimits"/>), which the CLI and the ops
/// functions share: a hostile value is a problem naming its parameter (CLI exit 2, HTTP 400), never an exception
/// (HTTP 500) nor a request that could loop.
/// </summary>
public sealed class OpsInputBoundsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Infinityh")]
    [InlineData("3000000d")]
    [InlineData("1e308s")]
    [InlineData("NaNm")]
    [InlineData("-1h")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("3653.1d")]
    [InlineData("2h; DROP TABLE")]
    public void Out_of_reach_or_malformed_times_are_a_problem_naming_the_parameter(string since)
    {
        Assert.Null(new ResyncCommand(since).ToRequest(Now, "ops", null, out var problem));
        Assert.StartsWith("since: ", problem, StringComparison.Ordinal);
        Assert.Null(new RedriveCommand(Until: since).ToFilter(Now, out problem));
        Assert.StartsWith("until: ", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2h", 2 * 60)]
    [InlineData("90m", 90)]
    [InlineData("3653d", 3653 * 24 * 60)]
    public void Durations_within_reach_count_back_from_now(string since, int minutes)
    {
        var request = new ResyncCommand(since).ToRequest(Now, "ops", null, out var problem);

        Assert.Null(problem);
        Assert.Equal(Now.AddMinutes(-minutes), request!.Since);
    }

    [Theory]
    [InlineData(0.0, null, "messagesPerSecond: 0 ")]
    [InlineData(-1.0, null, "messagesPerSecond: -1 ")]
    [InlineData(double.PositiveInfinity, null, "messagesPerSecond: Infinity ")]
    [InlineData(double.NaN, null, "messagesPerSecond: NaN ")]
    [InlineData(1000.0, null, "messagesPerSecond: 1000 ")]
    [InlineData(null, 0, "maxMessages: 0 ")]
    [InlineData(null, -5, "maxMessages: -5 ")]
    [InlineData(null, int.MaxValue, "maxMessages: 2147483647 ")]
    public void Rates_and_maximums_out_of_bounds_are_refused_before_anything_starts(double? rate, int? max, string problemStart)
    {
        Assert.Null(new ResyncCommand("2h", false, rate, max).ToRequest(Now, "ops", null, out var resync));
        Assert.Null(new RedriveCommand(MessagesPerSecond: rate, MaxMessages: max).ToFilter(Now, out var redrive));

        Assert.StartsWith(problemStart, resync, StringComparison.Ordinal);
        Assert.StartsWith(problemStart, redrive, StringComparison.Ordinal);
    }

    [Fact]
    public void Filters_with_too_many_too_long_or_control_values_are_refused()
    {
        Assert.Null(new RedriveCommand(Fingerprints: [.. Enumerable.Range(0, 101).Select(i => $"f{i}")]).ToFilter(Now, out var many));
        Assert.Null(new RedriveCommand(Reasons: [new string('r', 257)]).ToFilter(Now, out var longValue));
        Assert.Null(new RedriveCommand(MessageIds: ["a\u0000b"]).ToFilter(Now, out var control));
        Assert.NotNull(new RedriveCommand(Fingerprints: [.. Enumerable.Range(0, 100).Select(i => $"f{i}")], MessagesPerSecond: 100, MaxMessages: 1_000_000).ToFilter(Now, out var fine));

        Assert.StartsWith("fingerprint: 101 values", many, StringComparison.Ordinal);
        Assert.StartsWith("reason: ", longValue, StringComparison.Ordinal);
        Assert.StartsWith("id: ", control, StringComparison.Ordinal);
        Assert.Null(fine);
    }

    [Fact]
    public void Hundreds_of_random_and_hostile_inputs_to_each_entry_point_raise_no_exception()
    {
        var random = new Random(20261204);
        var hostile = new[]
        {
            "", " ", "Infinityh", "-Infinityd", "NaNs", "1e308d", "1e-308s", "0s", "-0h", "3000000d", "99999999999999999999h",
            "9999-12-31T23:59:59.9999999+14:00", "0001-01-01T00:00:00-14:00", "2026-02-30T00:00:00Z", "\u0000", "h", "d", "1", "1x",
            new string('9', 10_000) + "d", "２h", "1,5h", "1.5.5h", "${jndi:ldap://x}", "'; DROP TABLE x; --", "../../etc/passwd", "%00", "\uFEFF2h",
        };
        string Random(int length)
        {
            var builder = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                builder.Append(random.Next(4) switch
                {
                    0 => (char)random.Next(0x20, 0x7F),
                    1 => "0123456789.-+eE:TZhmsd"[random.Next(22)],
                    2 => (char)random.Next(0, 0x20),
                    _ => (char)random.Next(0x80, 0xFFFF),
                });
            }

            return builder.ToString();
        }

        var inputs = hostile.Concat(Enumerable.Range(0, 400).Select(i => Random(random.Next(0, i % 50 == 0 ? 5000 : 40)))).ToList();
        var numbers = new double?[] { null, 0, -0.0, -1, 0.5, 1e-300, double.Epsilon, double.MaxValue, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 100, 100.0001 };
        var counts = new int?[] { null, 0, -1, 1, int.MaxValue, int.MinValue, 1_000_000, 1_000_001 };
        var (calls, exceptions, refused) = (0, new List<string>(), 0);
        void Call(string what, Func<bool> accepted)
        {
            calls++;
            try
            {
                refused += accepted() ? 0 : 1;
            }
            catch (Exception e)
            {
                exceptions.Add($"{what}: {e.GetType().Name} {e.Message}");
            }
        }

        foreach (var (text, i) in inputs.Select((t, i) => (t, i)))
        {
            var (rate, max) = (numbers[i % numbers.Length], counts[i % counts.Length]);
            Call($"TryParseTime({text})", () => OpsJson.TryParseTime(text, Now, out _));
            Call($"resync({text})", () => new ResyncCommand(text, false, rate, max).ToRequest(Now, "ops", null, out _) is not null);
            Call($"redrive({text})", () => new RedriveCommand([text], [text], [text], text, text, false, rate, max).ToFilter(Now, out _) is not null);
            Call($"json({text})", () => Json(text));
        }

        Assert.Empty(exceptions);
        Assert.True(calls >= 1600, $"{calls} calls");
        Assert.True(refused > calls / 2, $"{refused} of {calls} refused"); // most of these are nonsense and must be refused, not accepted
    }

    /// <summary>What an ops function does with a body: deserialize (a JSON error is a 400), then check.</summary>
    private static bool Json(string text)
    {
        var body = $$"""{"since":{{JsonSerializer.Serialize(text)}},"fingerprints":[{{JsonSerializer.Serialize(text)}},null],"messagesPerSecond":{{(text.Length % 3 == 0 ? "-1" : "1e400")}},"maxMessages":{{(text.Length % 2 == 0 ? "0" : "99999999999")}}}""";
        try
        {
            var redrive = OpsJson.Deserialize<RedriveCommand>(body);
            var resync = OpsJson.Deserialize<ResyncCommand>(body);
            return redrive?.ToFilter(Now, out _) is not null | resync?.ToRequest(Now, "ops", null, out _) is not null;
        }
        catch (JsonException)
        {
            return false; // OpsHttp.ReadAsync answers 400 for it
        }
    }
}
