namespace Integration.Tasks;

/// <summary>Decides what happens to one task message and settles it; never throws after settling.</summary>
public interface ITaskHandler
{
    Task HandleAsync(IncomingTask message, ITaskSettlement settlement, CancellationToken cancellationToken);
}
