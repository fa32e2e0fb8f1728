using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Tasks.Messages;
using static Integration.Tests.Tasks.Messages.TaskMessageTestJson;

namespace Integration.Tests.Tasks.Messages;

public sealed class TaskMessageBodyTests
{
    [Fact]
    public void Identity_and_version_only_give_an_empty_object()
    {
        Assert.Equal("{}", Valid("""{"uid":"c6951f29-e70d-04c9-3733-50f90b248db2","version":1,"updated_at":"2025-01-31T12:00:00Z"}""").ToFragmentBody());
    }

    [Fact]
    public void Every_present_member_is_written_in_snake_case()
    {
        var message = Valid("""
            {"external_id":"ticket#ID#123","status":"STARTED","due_at":"2025-01-31T17:00:00+01:00",
             "assignee_email":"alice@example.com","fields":{"title":"Fix the printer","url":"https://example.com/t/123"},"version":4}
            """);

        Assert.Equal(
            """{"status":"STARTED","due_at":"2025-01-31T17:00:00+01:00","assignee_email":"alice@example.com","fields":{"title":"Fix the printer","url":"https://example.com/t/123"}}""",
            message.ToFragmentBody());
    }

    [Theory]
    [InlineData("""{"external_id":"k","status":"DONE","version":1}""", "status")]
    [InlineData("""{"external_id":"k","due_at":"2025-01-31T17:00:00Z","version":1}""", "due_at")]
    [InlineData("""{"external_id":"k","assignee_email":"a@b","version":1}""", "assignee_email")]
    [InlineData("""{"external_id":"k","fields":{},"version":1}""", "fields")]
    public void Absent_members_are_left_out_never_null(string json, string onlyMember)
    {
        using var body = JsonDocument.Parse(Valid(json).ToFragmentBody());

        var member = Assert.Single(body.RootElement.EnumerateObject());
        Assert.Equal(onlyMember, member.Name);
        Assert.NotEqual(JsonValueKind.Null, member.Value.ValueKind);
    }

    [Fact]
    public void Fields_pass_through_unchanged()
    {
        const string fields = """{ "title": "\u00e9t\u00e9 \ud83d\ude00", "priority": 1.10, "big": 123456789012345678901234567890, "nothing": null, "tags": ["a", {"deep": [true]}] }""";
        var message = Valid($$"""{"external_id":"k","fields":{{fields}},"version":1}""");

        var body = message.ToFragmentBody();

        Assert.Equal($$"""{"fields":{{fields}}}""", body);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(fields), JsonNode.Parse(body)!["fields"]));
    }

    [Theory]
    [InlineData("2025-01-31T17:00:00Z", "2025-01-31T17:00:00+00:00")]
    [InlineData("2025-01-31T17:00:00.500Z", "2025-01-31T17:00:00.5+00:00")]
    [InlineData("2025-01-31T17:00:00.123456789-05:30", "2025-01-31T17:00:00.123456-05:30")]
    [InlineData("2025-01-31T17:00:00.0000000+14:00", "2025-01-31T17:00:00+14:00")]
    public void Due_at_keeps_its_offset_to_the_microsecond(string given, string written)
    {
        using var body = JsonDocument.Parse(Valid($$"""{"external_id":"k","due_at":"{{given}}","version":1}""").ToFragmentBody());

        Assert.Equal(written, body.RootElement.GetProperty("due_at").GetString());
    }

    [Fact]
    public void Non_ASCII_text_survives_the_round_trip()
    {
        var message = Valid("""{"external_id":"k","assignee_email":"j\u00fcrgen@b\u00fccher.example","version":1}""");

        using var body = JsonDocument.Parse(message.ToFragmentBody());

        Assert.Equal("j\u00fcrgen@b\u00fccher.example", body.RootElement.GetProperty("assignee_email").GetString());
    }

    [Fact]
    public void A_message_built_in_code_writes_the_same_body()
    {
        var message = new TaskMessage
        {
            Uid = Ticket123,
            Status = TaskMessageStatus.Todo,
            Version = new TaskVersion(1, null),
        };

        Assert.Equal("""{"status":"TODO"}""", message.ToFragmentBody());
        Assert.Throws<ArgumentOutOfRangeException>(() => TaskMessage.ToWire((TaskMessageStatus)42));
    }
}
