namespace Integration.Tasks;

/// <summary>The typed reasons a task message is dead-lettered with.</summary>
public static class TaskDeadLetterReasons
{
    public const string InvalidMessage = "InvalidMessage";
    public const string RetriesExhausted = "RetriesExhausted";

    /// <summary><c>Rejected400</c>, <c>Rejected422</c>, <c>Rejected404</c> (after repeated answers) …</summary>
    public static string Rejected(int status) => $"Rejected{status}";
}
