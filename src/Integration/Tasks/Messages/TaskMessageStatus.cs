namespace Integration.Tasks.Messages;

/// <summary>Fragment's task status; on the wire <c>TODO</c>, <c>STARTED</c>, <c>DONE</c> (exact case).</summary>
public enum TaskMessageStatus
{
    Todo,
    Started,
    Done,
}
