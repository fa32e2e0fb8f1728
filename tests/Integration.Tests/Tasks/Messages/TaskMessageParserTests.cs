using System.Text;
using Integration.Tasks.Messages;
using static Integration.Tests.Tasks.Messages.TaskMessageTestJson;

namespace Integration.Tests.Tasks.Messages;

public sealed class TaskMessageParserTests
{
    [Fact]
    public void External_id_alone_gives_the_derived_uid()
    {
        var message = Valid("""{"external_id":"ticket#ID#123","version":1}""");

        Assert.Equal(Ticket123, message.Uid);
        Assert.Equal("ticket#ID#123", message.ExternalId);
        Assert.Null(message.Status);
        Assert.Null(message.DueAt);
        Assert.Null(message.AssigneeEmail);
        Assert.Null(message.FieldsJson);
        Assert.Equal(new TaskVersion(1, null), message.Version);
    }

    [Theory]
    [InlineData("c6951f29-e70d-04c9-3733-50f90b248db2")]
    [InlineData("C6951F29-E70D-04C9-3733-50F90B248DB2")]
    [InlineData("C6951f29-E70d-04c9-3733-50f90b248DB2")]
    public void Uid_alone_is_read_in_any_case(string uid)
    {
        var message = Valid($$"""{"uid":"{{uid}}","version":1}""");

        Assert.Equal(Ticket123, message.Uid);
        Assert.Null(message.ExternalId);
    }

    [Theory]
    [InlineData("c6951f29-e70d-04c9-3733-50f90b248db2")]
    [InlineData("C6951F29-E70D-04C9-3733-50F90B248DB2")]
    public void Uid_and_external_id_that_agree_are_valid(string uid)
    {
        var message = Valid($$"""{"uid":"{{uid}}","external_id":"ticket#ID#123","version":1}""");

        Assert.Equal(Ticket123, message.Uid);
        Assert.Equal("ticket#ID#123", message.ExternalId);
    }

    [Fact]
    public void Uid_and_external_id_that_disagree_are_invalid_with_both_uids_named()
    {
        var reason = Reason("""{"uid":"b69b9506-8e1e-7eb9-2e8e-abf263160f73","external_id":"ticket#ID#123","version":1}""");

        Assert.Equal(
            "uid b69b9506-8e1e-7eb9-2e8e-abf263160f73 does not match external_id 'ticket#ID#123', whose uid is c6951f29-e70d-04c9-3733-50f90b248db2",
            reason);
    }

    [Theory]
    [InlineData("TODO", TaskMessageStatus.Todo)]
    [InlineData("STARTED", TaskMessageStatus.Started)]
    [InlineData("DONE", TaskMessageStatus.Done)]
    public void Status_is_one_of_the_three_in_exact_case(string wire, TaskMessageStatus expected)
    {
        var message = Valid($$"""{"external_id":"k","status":"{{wire}}","version":1}""");

        Assert.Equal(expected, message.Status);
        Assert.Equal(wire, TaskMessage.ToWire(expected));
    }

    public static TheoryData<string, DateTimeOffset> Timestamps => new()
    {
        { "2025-01-31T17:00:00Z", new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.Zero) },
        { "2025-01-31T17:00:00+01:00", new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.FromHours(1)) },
        { "2025-01-31T17:00:00-05:30", new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.FromMinutes(-330)) },
        { "2025-01-31T17:00:00.5Z", new DateTimeOffset(2025, 1, 31, 17, 0, 0, 500, TimeSpan.Zero) },
        { "2025-01-31T17:00:00.1234567+02:00", new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567) },
        // Nanoseconds (Go's RFC3339Nano, Java): digits past the 7th are truncated.
        { "2025-01-31T17:00:00.123456789Z", new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.Zero).AddTicks(1_234_567) },
        // The round-trip "O" format of .NET.
        { new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(14)).ToString("O", System.Globalization.CultureInfo.InvariantCulture), new DateTimeOffset(2024, 2, 29, 23, 59, 59, TimeSpan.FromHours(14)) },
    };

    [Theory]
    [MemberData(nameof(Timestamps))]
    public void Due_at_and_updated_at_are_ISO_8601_with_an_offset_which_is_kept(string text, DateTimeOffset expected)
    {
        var message = Valid($$"""{"external_id":"k","due_at":"{{text}}","updated_at":"{{text}}"}""");

        Assert.Equal(expected, message.DueAt);
        Assert.Equal(expected.Offset, message.DueAt!.Value.Offset);
        Assert.Equal(expected, message.Version.UpdatedAt);
        Assert.Equal(expected.Offset, message.Version.UpdatedAt!.Value.Offset);
    }

    [Theory]
    [InlineData("alice@example.com")]
    [InlineData("a@b")]
    [InlineData("J\u00fcrgen.M\u00fcller+tasks@b\u00fccher.example")]
    public void Assignee_email_with_one_at_sign_is_kept_as_given(string email)
    {
        var message = Valid($$"""{"external_id":"k","assignee_email":"{{email}}","version":1}""");

        Assert.Equal(email, message.AssigneeEmail);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"title":"Fix the printer"}""")]
    [InlineData("""{"title":"","url":"https://example.com/t/1"}""")]
    [InlineData("""{"url":"https://example.com/t/1","priority":1.10,"big":123456789012345678901234567890,"tags":["a",null,{"deep":[true,false]}],"nothing":null}""")]
    [InlineData("""{ "title" : "spaced \u00e9 \ud83d\ude00 \"quoted\"",  "n": -0.0e+0 }""")]
    public void Fields_object_is_kept_as_its_raw_text(string fields)
    {
        var message = Valid($$"""{"external_id":"k","fields":{{fields}},"version":1}""");

        Assert.Equal(fields, message.FieldsJson);
    }

    [Fact]
    public void Version_alone_updated_at_alone_or_both()
    {
        var updatedAt = new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.Zero);

        Assert.Equal(new TaskVersion(0, null), Valid("""{"external_id":"k","version":0}""").Version);
        Assert.Equal(new TaskVersion(long.MaxValue, null), Valid("""{"external_id":"k","version":9223372036854775807}""").Version);
        Assert.Equal(new TaskVersion(null, updatedAt), Valid("""{"external_id":"k","updated_at":"2025-01-31T17:00:00Z"}""").Version);
        Assert.Equal(new TaskVersion(7, updatedAt), Valid("""{"external_id":"k","version":7,"updated_at":"2025-01-31T17:00:00Z"}""").Version);
    }

    [Fact]
    public void A_full_message_reads_every_member()
    {
        var message = Valid("""
            {
              "uid": "c6951f29-e70d-04c9-3733-50f90b248db2",
              "external_id": "ticket#ID#123",
              "status": "STARTED",
              "due_at": "2025-01-31T17:00:00+01:00",
              "assignee_email": "alice@example.com",
              "fields": {"title": "Fix the printer", "url": "https://example.com/t/123"},
              "version": 42,
              "updated_at": "2025-01-30T08:00:00Z"
            }
            """);

        Assert.Equal(
            new TaskMessage
            {
                Uid = Ticket123,
                ExternalId = "ticket#ID#123",
                Status = TaskMessageStatus.Started,
                DueAt = new DateTimeOffset(2025, 1, 31, 17, 0, 0, TimeSpan.FromHours(1)),
                AssigneeEmail = "alice@example.com",
                FieldsJson = """{"title": "Fix the printer", "url": "https://example.com/t/123"}""",
                Version = new TaskVersion(42, new DateTimeOffset(2025, 1, 30, 8, 0, 0, TimeSpan.Zero)),
            },
            message);
    }

    [Fact]
    public void A_leading_byte_order_mark_and_surrounding_whitespace_are_accepted()
    {
        byte[] body = [0xEF, 0xBB, 0xBF, .. " \r\n\t{\"external_id\":\"ticket#ID#123\",\"version\":1}\n "u8];

        var parse = TaskMessageParser.Parse(body, TaskMessageLimits.Default);

        Assert.Equal(Ticket123, Assert.IsType<TaskMessageParse.Valid>(parse).Message.Uid);
    }

    // Each entry: a body, and a fragment of the specific reason it must give.
    public static TheoryData<string, string> InvalidMessages => new()
    {
        // Not a JSON object
        { "", "message is empty" },
        { """[{"external_id":"k","version":1}]""", "message is an array, not a JSON object" },
        { "\"ticket#ID#123\"", "message is a string, not a JSON object" },
        { "null", "message is null, not a JSON object" },
        { """{"external_id":"k","version":1""", "message is not valid JSON at line 1, byte 31 of that line" },
        { """{"external_id":"k","version":1,}""", "message is not valid JSON at line 1" },
        { """{"external_id":"k", /* c */ "version":1}""", "message is not valid JSON at line 1" },
        { """{"external_id":"k","version":1} {}""", "message is not valid JSON at line 1, byte 33 of that line: '{' is invalid after a single JSON value" },
        { """{"external_id":"k","version":1,"version":2}""", "Duplicate property 'version'" },
        // Identity
        { """{"version":1}""", "message has neither uid nor external_id" },
        { """{"uid":"not-a-uuid","version":1}""", "uid 'not-a-uuid' is not a UUID (expected 32 hex digits as 8-4-4-4-12)" },
        { """{"uid":"c6951f29e70d04c9373350f90b248db2","version":1}""", "uid 'c6951f29e70d04c9373350f90b248db2' is not a UUID" },
        { """{"uid":"{c6951f29-e70d-04c9-3733-50f90b248db2}","version":1}""", "is not a UUID" },
        { """{"uid":123,"version":1}""", "uid must be a JSON string, not a number" },
        { """{"external_id":"","version":1}""", "external_id is empty" },
        { """{"external_id":["k"],"version":1}""", "external_id must be a JSON string, not an array" },
        { """{"external_id":"\ud800","version":1}""", "external_id is not valid Unicode text (an escaped lone surrogate)" },
        { """{"uid":"b69b9506-8e1e-7eb9-2e8e-abf263160f73","external_id":"ticket#ID#123","version":1}""", "does not match external_id 'ticket#ID#123'" },
        // Status
        { """{"external_id":"k","status":"done","version":1}""", "status 'done' is not one of TODO, STARTED, DONE (exact case)" },
        { """{"external_id":"k","status":"IN_PROGRESS","version":1}""", "status 'IN_PROGRESS' is not one of TODO, STARTED, DONE" },
        { """{"external_id":"k","status":" TODO","version":1}""", "status ' TODO' is not one of" },
        { """{"external_id":"k","status":2,"version":1}""", "status must be a JSON string, not a number" },
        // due_at
        { """{"external_id":"k","due_at":"2025-01-31T17:00:00","version":1}""", "due_at '2025-01-31T17:00:00' is not an ISO-8601 date-time with an offset" },
        { """{"external_id":"k","due_at":"2025-01-31","version":1}""", "due_at '2025-01-31' is not an ISO-8601 date-time with an offset" },
        { """{"external_id":"k","due_at":"2025-02-30T17:00:00Z","version":1}""", "due_at '2025-02-30T17:00:00Z' is not" },
        { """{"external_id":"k","due_at":"2025-01-31 17:00:00Z","version":1}""", "due_at '2025-01-31 17:00:00Z' is not" },
        { """{"external_id":"k","due_at":"2025-01-31T17:00:00+0100","version":1}""", "due_at '2025-01-31T17:00:00+0100' is not" },
        { """{"external_id":"k","due_at":"2025-01-31T17:00:00.Z","version":1}""", "due_at '2025-01-31T17:00:00.Z' is not" },
        { """{"external_id":"k","due_at":"2025-01-31T17:00:00+15:00","version":1}""", "due_at '2025-01-31T17:00:00+15:00' is not" },
        { """{"external_id":"k","due_at":"2025-01-31T17:00:00Z\n","version":1}""", "due_at '2025-01-31T17:00:00Z\\n' is not" },
        { """{"external_id":"k","due_at":1738342800,"version":1}""", "due_at must be a JSON string, not a number" },
        // assignee_email
        { """{"external_id":"k","assignee_email":"alice","version":1}""", "assignee_email 'alice' must hold exactly one '@' with text on both sides" },
        { """{"external_id":"k","assignee_email":"a@b@c","version":1}""", "assignee_email 'a@b@c' must hold exactly one '@'" },
        { """{"external_id":"k","assignee_email":"@example.com","version":1}""", "assignee_email '@example.com' must hold exactly one '@'" },
        { """{"external_id":"k","assignee_email":"alice@","version":1}""", "assignee_email 'alice@' must hold exactly one '@'" },
        { """{"external_id":"k","assignee_email":true,"version":1}""", "assignee_email must be a JSON string, not a boolean" },
        // fields
        { """{"external_id":"k","fields":[],"version":1}""", "fields must be a JSON object, not an array" },
        { """{"external_id":"k","fields":"title","version":1}""", "fields must be a JSON object, not a string" },
        { """{"external_id":"k","fields":{"title":5},"version":1}""", "fields.title must be a string, not a number" },
        { """{"external_id":"k","fields":{"title":null},"version":1}""", "fields.title must be a string, not null" },
        { """{"external_id":"k","fields":{"title":{"en":"x"}},"version":1}""", "fields.title must be a string, not an object" },
        { """{"external_id":"k","fields":{"a":1,"a":2},"version":1}""", "Duplicate property 'a'" },
        // Ordering version
        { """{"external_id":"k"}""", "message has neither version nor updated_at (one is needed to order the updates of a task)" },
        { """{"external_id":"k","version":-1}""", "version -1 is not a non-negative integer" },
        { """{"external_id":"k","version":1.5}""", "version 1.5 is not a non-negative integer" },
        { """{"external_id":"k","version":2.0}""", "version 2.0 is not a non-negative integer" },
        { """{"external_id":"k","version":1e3}""", "version 1e3 is not a non-negative integer" },
        { """{"external_id":"k","version":9223372036854775808}""", "version 9223372036854775808 is not a non-negative integer" },
        { """{"external_id":"k","version":"3"}""", "version must be a JSON number, not a string" },
        { """{"external_id":"k","updated_at":"yesterday"}""", "updated_at 'yesterday' is not an ISO-8601 date-time with an offset" },
        { """{"external_id":"k","updated_at":"2025-01-31T17:00:00"}""", "updated_at '2025-01-31T17:00:00' is not an ISO-8601 date-time with an offset" },
        // Nulls and unknown members
        { """{"external_id":"k","status":null,"version":1}""", "status is null; leave the member out instead" },
        { """{"uid":null,"external_id":"k","version":1}""", "uid is null; leave the member out instead" },
        { """{"external_id":"k","version":null}""", "version is null; leave the member out instead" },
        { """{"external_id":"k","version":1,"Status":"DONE"}""", "message has unknown member 'Status' (known: uid, external_id, status, due_at, assignee_email, fields, version, updated_at)" },
        { """{"external_id":"k","version":1,"title":"x","dueAt":"2025-01-31T17:00:00Z"}""", "message has unknown members 'title', 'dueAt' (known:" },
        { """{"external_id":"k","version":1,"\udc00":1}""", "message has a member name that is not valid Unicode text" },
        { """{"external_id":"k","version":1,"fields":{"\ud800":1}}""", "message has a member name that is not valid Unicode text" },
    };

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public void Invalid_message_gives_its_specific_reason(string json, string expectedFragment)
    {
        var reason = Reason(json);

        Assert.Contains(expectedFragment, reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
    }

    [Fact]
    public void A_null_member_is_not_also_reported_missing_twice_over()
    {
        Assert.Equal("uid is null; leave the member out instead", Reason("""{"uid":null,"external_id":"k","version":1}"""));
        Assert.Equal("version is null; leave the member out instead", Reason("""{"external_id":"k","version":null}"""));
    }

    [Fact]
    public void Every_problem_is_reported_in_one_reason()
    {
        var reason = Reason("""{"status":"done","due_at":"tomorrow","extra":1}""");

        Assert.Equal(
            "message has unknown member 'extra' (known: uid, external_id, status, due_at, assignee_email, fields, version, updated_at); "
            + "message has neither uid nor external_id; "
            + "status 'done' is not one of TODO, STARTED, DONE (exact case); "
            + "due_at 'tomorrow' is not an ISO-8601 date-time with an offset (e.g. 2025-01-31T17:00:00Z or 2025-01-31T17:00:00.5+01:00); "
            + "message has neither version nor updated_at (one is needed to order the updates of a task)",
            reason);
    }

    [Fact]
    public void Body_over_the_limit_is_invalid_with_both_sizes()
    {
        var json = $$"""{"external_id":"k","fields":{"title":"{{new string('a', 200)}}"},"version":1}""";
        var size = Encoding.UTF8.GetByteCount(json);

        var reason = Reason(json, new TaskMessageLimits { MaxBytes = size - 1 });

        Assert.Equal($"message is {size} bytes, over the {size - 1} byte limit", reason);
        Assert.IsType<TaskMessageParse.Valid>(Parse(json, new TaskMessageLimits { MaxBytes = size }));
    }

    [Fact]
    public void The_default_limit_is_256_KiB()
    {
        var filler = new string('a', TaskMessageLimits.DefaultMaxBytes);
        var json = $$"""{"external_id":"k","fields":{"title":"{{filler}}"},"version":1}""";

        Assert.Equal(256 * 1024, TaskMessageLimits.Default.MaxBytes);
        Assert.Equal($"message is {json.Length} bytes, over the 262144 byte limit", Reason(json));
    }

    [Fact]
    public void Invalid_UTF_8_is_reported_with_its_byte_offset()
    {
        byte[] body = [.. "{\"external_id\":\"k"u8, 0xC3, 0x28, .. "\",\"version\":1}"u8];

        Assert.Equal("message is not valid UTF-8 (bad byte sequence at byte offset 17)", Reason(TaskMessageParser.Parse(body, TaskMessageLimits.Default)));
    }

    [Fact]
    public void Invalid_JSON_reports_a_one_based_line_and_byte_position()
    {
        var reason = Reason("{\n  \"external_id\": \"k\",\n  \"version\": tru\n}");

        Assert.StartsWith("message is not valid JSON at line 3, byte 17 of that line: ", reason, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasons_never_echo_a_large_body()
    {
        var secretish = new string('z', 5000);
        var notJson = "{\"external_id\": " + secretish;
        var unknownMembers = "{" + string.Join(",", Enumerable.Range(0, 15).Select(i => $"\"m{i}_{secretish}\":{i}")) + ",\"external_id\":\"k\",\"version\":1}";
        var longValues = $$"""{"uid":"{{secretish}}","status":"{{secretish}}","assignee_email":"{{secretish}}","due_at":"{{secretish}}","version":1}""";

        foreach (var json in new[] { notJson, unknownMembers, longValues })
        {
            var reason = Reason(json);
            Assert.True(reason.Length < 2000, reason);
            Assert.DoesNotContain(new string('z', 101), reason, StringComparison.Ordinal);
        }

        var unknownReason = Reason(unknownMembers);
        Assert.Contains($"'m0_{new string('z', 61)}…'", unknownReason, StringComparison.Ordinal);
        Assert.Contains(" and 5 more (known:", unknownReason, StringComparison.Ordinal);
        Assert.DoesNotContain("'m10_", unknownReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Clipping_never_splits_a_surrogate_pair()
    {
        var status = new string('s', 99) + "\U0001F600" + "tail";

        var reason = Reason($$"""{"external_id":"k","status":"{{status}}","version":1}""");

        Assert.Contains($"status '{new string('s', 99)}…' is not one of", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_required()
    {
        Assert.Throws<ArgumentNullException>(() => TaskMessageParser.Parse("{}"u8, null!));
    }
}
