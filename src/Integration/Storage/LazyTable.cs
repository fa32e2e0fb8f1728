using Azure.Data.Tables;

namespace Integration.Storage;

/// <summary>A table created on first use (once per process), named by a setting read at that moment.</summary>
internal sealed class LazyTable(TableServiceClient tables, Func<string> name)
{
    private volatile TableClient? _table;

    public async ValueTask<TableClient> GetAsync(CancellationToken cancellationToken)
    {
        if (_table is { } table)
        {
            return table;
        }

        table = tables.GetTableClient(name());
        await table.CreateIfNotExistsAsync(cancellationToken);
        return _table = table;
    }
}
