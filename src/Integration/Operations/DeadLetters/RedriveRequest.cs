using Integration.DeadLetters;

namespace Integration.Operations.DeadLetters;

/// <summary>Send dead-lettered task messages back to the task queue.</summary>
/// <param name="DryRun">Only count what would move; every message stays where it is.</param>
/// <param name="Actor">Who asked, for the audit trail.</param>
/// <param name="MessagesPerSecond">Velocity cap on the sends; default <see cref="OperationsOptions.MessagesPerSecond"/>.</param>
/// <param name="MaxMessages">Most messages moved; default <see cref="OperationsOptions.MaxMessages"/>.</param>
/// <param name="Pass">The pass this run belongs to (a later slice of the same command); default a new one starting now.</param>
public sealed record RedriveRequest(DeadLetterFilter Filter, bool DryRun, string Actor, double? MessagesPerSecond = null, int? MaxMessages = null, RedrivePass? Pass = null);
