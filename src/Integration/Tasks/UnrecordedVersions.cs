using System.Collections.Concurrent;
using Integration.Tasks.Messages;

namespace Integration.Tasks;

/// <summary>
/// Versions this process saw Fragment apply but could not record (storage failed between the PUT and the write). Where
/// the message could not be completed either (the local queue lives in that storage) it comes back: a redelivery of the
/// same version is then recorded and completed without a call. One entry per task, gone once recorded.
/// </summary>
public sealed class UnrecordedVersions
{
    private readonly ConcurrentDictionary<Guid, TaskVersion> _versions = new();

    public void Add(Guid uid, TaskVersion version) =>
        _versions.AddOrUpdate(uid, version, (_, known) => version.TryCompare(known) > 0 ? version : known);

    /// <summary>True when Fragment applied exactly this version of the task and it is not recorded yet.</summary>
    public bool Holds(Guid uid, TaskVersion version) => _versions.TryGetValue(uid, out var known) && version.TryCompare(known) == 0;

    public void Recorded(Guid uid, TaskVersion version) => _versions.TryRemove(new KeyValuePair<Guid, TaskVersion>(uid, version));
}
