using Azure.Core;
using Azure.Core.Pipeline;

namespace Integration.Benchmark.Tasks;

/// <summary>
/// Counts the storage transactions the Fragment budget makes: every try (retries included) a Table client sends to the
/// budget's table, read or write, with the compare-and-swap losses (412) among them. Added to every instance's Table
/// clients per retry; calls to other tables pass uncounted. The table's creation (one <c>POST /Tables</c> per instance at
/// its first slot) names the table only in its body and is not counted.
/// </summary>
internal sealed class BudgetStorageCalls(string table) : HttpPipelinePolicy
{
    private int _reads;
    private int _writes;
    private int _conflicts;

    public int Reads => Volatile.Read(ref _reads);
    public int Writes => Volatile.Read(ref _writes);
    public int Conflicts => Volatile.Read(ref _conflicts);
    public int Total => Reads + Writes;

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var counted = Count(message);
        await ProcessNextAsync(message, pipeline);
        Settle(message, counted);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var counted = Count(message);
        ProcessNext(message, pipeline);
        Settle(message, counted);
    }

    private bool Count(HttpMessage message)
    {
        // The row (/{table}(PartitionKey='…',RowKey='…'), the parenthesis maybe escaped) or the table's entities (/{table}).
        var path = message.Request.Uri.Path;
        var at = path.IndexOf($"/{table}", StringComparison.OrdinalIgnoreCase);
        var after = at + table.Length + 1;
        if (at < 0 || (after < path.Length && path[after] is not ('(' or '%')))
        {
            return false;
        }

        Interlocked.Increment(ref message.Request.Method == RequestMethod.Get ? ref _reads : ref _writes);
        return true;
    }

    private void Settle(HttpMessage message, bool counted)
    {
        if (counted && message.HasResponse && message.Response.Status == 412)
        {
            Interlocked.Increment(ref _conflicts);
        }
    }
}
