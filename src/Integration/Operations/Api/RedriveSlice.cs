using Integration.Operations.DeadLetters;

namespace Integration.Operations.Api;

/// <summary>
/// One slice of a redrive-shaped command (a redrive, a restore from the archive) read from a call's JSON body: its
/// filter checked, its size bounded so the slice ends within <see cref="OpsApi.CallBudget"/> at the requested velocity.
/// </summary>
internal static class RedriveSlice
{
    /// <returns>The 400 naming what is wrong, or null with <paramref name="request"/> set.</returns>
    public static OpsApiAnswer? TryRead(OpsCall call, string what, DateTimeOffset now, OperationsOptions options, out RedriveRequest? request)
    {
        request = null;
        string? problem = null;
        if (call.Request.BodyAs<RedriveCommand>() is not { } command || command.ToFilter(now, out problem) is not { } filter)
        {
            return OpsApiAnswer.BadRequest(problem ?? $"Expected a JSON {what} command (fingerprints, reasons, messageIds, since, until, dryRun, messagesPerSecond, maxMessages).");
        }

        var rate = command.MessagesPerSecond ?? options.MessagesPerSecond;
        var slice = (int)Math.Max(1, Math.Min(command.MaxMessages ?? options.MaxMessages, rate * OpsApi.CallBudget.TotalSeconds));
        request = new RedriveRequest(filter, command.DryRun, call.Actor, rate, slice, command.Pass);
        return null;
    }
}
