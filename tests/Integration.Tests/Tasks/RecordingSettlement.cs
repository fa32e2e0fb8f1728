using Integration.Tasks;

namespace Integration.Tests.Tasks;

/// <summary>Records how the handler settled one message (the core's settlement interface, as the hosts implement it).</summary>
public sealed class RecordingSettlement : ITaskSettlement
{
    private readonly TaskCompletionSource<RecordingSettlement> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string? Kind { get; private set; }
    public string? Reason { get; private set; }
    public string? Description { get; private set; }
    public TimeSpan? Delay { get; private set; }
    public IReadOnlyDictionary<string, object> Properties { get; private set; } = new Dictionary<string, object>();
    public Task<RecordingSettlement> Settled => _settled.Task;

    public Task CompleteAsync(CancellationToken cancellationToken) => Settle("Complete", null, null, null, null);

    public Task DeadLetterAsync(string reason, string description, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken) =>
        Settle("DeadLetter", reason, description, null, properties);

    public Task RescheduleAsync(TimeSpan delay, IReadOnlyDictionary<string, object> properties, CancellationToken cancellationToken) =>
        Settle("Reschedule", null, null, delay, properties);

    private Task Settle(string kind, string? reason, string? description, TimeSpan? delay, IReadOnlyDictionary<string, object>? properties)
    {
        if (Kind is not null)
        {
            throw new InvalidOperationException($"Settled twice: {Kind}, then {kind}.");
        }

        (Kind, Reason, Description, Delay) = (kind, reason, description, delay);
        Properties = properties ?? new Dictionary<string, object>();
        _settled.SetResult(this);
        return Task.CompletedTask;
    }
}
