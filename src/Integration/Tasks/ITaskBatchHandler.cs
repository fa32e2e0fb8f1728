namespace Integration.Tasks;

/// <summary>Decides what happens to a batch of task messages and settles each one of them; never throws after settling.</summary>
public interface ITaskBatchHandler
{
    Task HandleAsync(IReadOnlyList<(IncomingTask Message, ITaskSettlement Settlement)> batch, CancellationToken cancellationToken);
}
