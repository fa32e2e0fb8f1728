namespace Integration.Tasks;

/// <summary>
/// What the request log needs to know about a Fragment request beyond the HTTP exchange: carried on the request's
/// options so that <see cref="FragmentAttemptHandler"/> can log every attempt, quick retries included.
/// </summary>
/// <param name="Version">The task's source version, as text.</param>
/// <param name="MessageBody">The upstream message as received: kept on accepted attempts so a re-sync can send it again.</param>
/// <param name="Items">For <c>PUT /tasks/batch</c>: one context per task in it (each attempt logs a row per task).</param>
public sealed record FragmentRequestContext(string TaskUid, string MessageId, int Attempt, string Trigger, string? Version = null, string? MessageBody = null, IReadOnlyList<FragmentRequestContext>? Items = null)
{
    public static FragmentRequestContext Batch(IReadOnlyList<FragmentRequestContext> items) => new("", "", 0, "batch", Items: items);

    public static readonly HttpRequestOptionsKey<FragmentRequestContext> Key = new("Integration.FragmentRequestContext");
}
