namespace Integration.Sandbox.Dragonfruit;

/// <summary>The bulk imports answered 200, in completion order. Thread-safe.</summary>
internal sealed class ImportLog
{
    private readonly Lock gate = new();
    private readonly List<ReceivedImport> imports = [];

    public IReadOnlyList<ReceivedImport> All
    {
        get
        {
            lock (gate)
            {
                return [.. imports];
            }
        }
    }

    public void Add(ReceivedImport import)
    {
        lock (gate)
        {
            imports.Add(import);
        }
    }
}
