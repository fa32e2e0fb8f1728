namespace Integration.ServiceBus;

/// <summary>
/// A pass over the dead-letters (<see cref="ServiceBusDeadLetterQueue.ReceiveAsync"/>) stopped before it had seen every
/// message: a lock it held could not be kept. The redrive reports it as failed with this message; running it again
/// goes on where it stopped (what was moved is gone from the dead-letters).
/// </summary>
public sealed class DeadLetterPassStoppedException : Exception
{
    public DeadLetterPassStoppedException()
    {
    }

    public DeadLetterPassStoppedException(string message)
        : base(message)
    {
    }

    public DeadLetterPassStoppedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
