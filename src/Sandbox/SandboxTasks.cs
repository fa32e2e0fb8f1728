using Integration.Sandbox.Fragment;

namespace Integration.Sandbox;

/// <summary>The Fragment fake's tasks, and every successful <c>PUT /tasks/{uid}</c> in the order it was applied. Thread-safe.</summary>
public sealed class SandboxTasks
{
    private readonly Lock gate = new();
    private readonly Dictionary<Guid, FragmentTask> tasks = [];
    private readonly List<(Guid Uid, string Body, DateTimeOffset At)> history = [];
    private readonly TimeProvider time;

    internal SandboxTasks(TimeProvider time) => this.time = time;

    public IReadOnlyDictionary<Guid, FragmentTask> All
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<Guid, FragmentTask>(tasks);
            }
        }
    }

    /// <summary>Successful PUTs (creates and updates, including repeats), in the order they were applied; <c>Body</c> is the raw request body.</summary>
    public IReadOnlyList<(Guid Uid, string Body, DateTimeOffset At)> History
    {
        get
        {
            lock (gate)
            {
                return [.. history];
            }
        }
    }

    /// <summary>How many PUTs were answered 200 (the length of <see cref="History"/>).</summary>
    public int PutCount
    {
        get
        {
            lock (gate)
            {
                return history.Count;
            }
        }
    }

    public FragmentTask? Get(Guid uid)
    {
        lock (gate)
        {
            return tasks.GetValueOrDefault(uid);
        }
    }

    /// <summary>
    /// Creates or updates <paramref name="uid"/>: top-level members given replace the stored ones, <c>fields</c> is replaced
    /// as a whole (no deep merge), <c>created_at</c> is kept and <c>updated_at</c> set to now, even when nothing changed.
    /// A new task without <c>status</c> is <c>TODO</c>. Returns null, storing nothing, when the task does not exist yet and
    /// <paramref name="changes"/> has no <c>fields.title</c>.
    /// </summary>
    internal FragmentTask? Upsert(Guid uid, TaskChanges changes, string body, out bool created)
    {
        var now = time.GetUtcNow();
        created = false;
        lock (gate)
        {
            FragmentTask task;
            if (tasks.TryGetValue(uid, out var existing))
            {
                task = existing with
                {
                    Status = changes.Status ?? existing.Status,
                    DueAt = changes.HasDueAt ? changes.DueAt : existing.DueAt,
                    AssigneeEmail = changes.HasAssigneeEmail ? changes.AssigneeEmail : existing.AssigneeEmail,
                    Fields = changes.Fields ?? existing.Fields,
                    UpdatedAt = now,
                };
            }
            else if (changes.HasTitle)
            {
                task = new FragmentTask(uid, changes.Status ?? "TODO", changes.DueAt, changes.AssigneeEmail, changes.Fields!, now, now);
                created = true;
            }
            else
            {
                return null;
            }

            tasks[uid] = task;
            history.Add((uid, body, now));
            return task;
        }
    }
}
