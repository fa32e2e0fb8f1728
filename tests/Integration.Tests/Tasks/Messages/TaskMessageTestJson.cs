using System.Text;
using Integration.Tasks.Messages;

namespace Integration.Tests.Tasks.Messages;

internal static class TaskMessageTestJson
{
    /// <summary>python3 -c 'import uuid,hashlib; print(uuid.UUID(hashlib.md5(b"ticket#ID#123").hexdigest()))'</summary>
    public static readonly Guid Ticket123 = Guid.Parse("c6951f29-e70d-04c9-3733-50f90b248db2");

    public static TaskMessageParse Parse(string json, TaskMessageLimits? limits = null) =>
        TaskMessageParser.Parse(Encoding.UTF8.GetBytes(json), limits ?? TaskMessageLimits.Default);

    public static TaskMessage Valid(string json)
    {
        var parse = Parse(json);
        var valid = Assert.IsType<TaskMessageParse.Valid>(parse);
        return valid.Message;
    }

    public static string Reason(string json, TaskMessageLimits? limits = null) => Reason(Parse(json, limits));

    public static string Reason(TaskMessageParse parse) => Assert.IsType<TaskMessageParse.Invalid>(parse).Reason;
}
