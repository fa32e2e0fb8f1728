using System.Diagnostics;
using Integration.Tasks;

namespace Integration.Tests.Local.Tasks;

/// <summary>
/// Records every message it is given and settles as the test instructs (<c>act</c> gets the message, its settlement
/// and the 1-based call number); each call can be awaited once the instruction has run (or thrown).
/// </summary>
public sealed class RecordingTaskHandler(Func<IncomingTask, ITaskSettlement, int, Task> act) : ITaskHandler
{
    private readonly List<TaskCompletionSource<HandledTask>> _handled = [];
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public async Task HandleAsync(IncomingTask message, ITaskSettlement settlement, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        var started = Stopwatch.GetTimestamp();
        Exception? error = null;
        try
        {
            await act(message, settlement, call);
        }
        catch (Exception e)
        {
            error = e;
            throw;
        }
        finally
        {
            Slot(call).TrySetResult(new HandledTask(message, started, error));
        }
    }

    /// <summary>The <paramref name="call"/>-th call (1-based), once its instruction has run; fails after <paramref name="timeout"/> (default 30 s).</summary>
    public Task<HandledTask> HandledAsync(int call, TimeSpan? timeout = null) =>
        Slot(call).Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));

    private TaskCompletionSource<HandledTask> Slot(int call)
    {
        lock (_handled)
        {
            while (_handled.Count < call)
            {
                _handled.Add(new TaskCompletionSource<HandledTask>(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            return _handled[call - 1];
        }
    }
}

/// <param name="Started">When the handler was entered (<see cref="Stopwatch.GetTimestamp"/>).</param>
/// <param name="Error">What the instruction threw, if anything.</param>
public sealed record HandledTask(IncomingTask Message, long Started, Exception? Error);
