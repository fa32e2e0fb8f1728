namespace Integration.Tasks.Messages;

/// <summary>
/// The ordering version of a task message: a producer's <c>version</c> number, its <c>updated_at</c> time, or both.
/// Used to never override a newer state of a task with an older one.
/// </summary>
/// <remarks>
/// This is not a total order, so the type does not implement <see cref="IComparable{T}"/>: two versions compare by
/// <see cref="Number"/> when both have one, else by <see cref="UpdatedAt"/> when both have one, and otherwise
/// (one task's producers mixing the two kinds) they are not comparable and <see cref="TryCompare"/> returns null.
/// </remarks>
public readonly record struct TaskVersion(long? Number, DateTimeOffset? UpdatedAt)
{
    /// <summary>
    /// Below zero when this version is older than <paramref name="other"/>, zero when equal, above zero when newer;
    /// null when the two cannot be compared (no kind of version that both have).
    /// </summary>
    public int? TryCompare(TaskVersion other)
    {
        if (Number is { } number && other.Number is { } otherNumber)
        {
            return number.CompareTo(otherNumber);
        }

        if (UpdatedAt is { } updatedAt && other.UpdatedAt is { } otherUpdatedAt)
        {
            return updatedAt.CompareTo(otherUpdatedAt);
        }

        return null;
    }

    public override string ToString() => (Number, UpdatedAt) switch
    {
        ({ } number, { } updatedAt) => $"version {number}, updated_at {updatedAt:O}",
        ({ } number, null) => $"version {number}",
        (null, { } updatedAt) => $"updated_at {updatedAt:O}",
        _ => "no version",
    };
}
