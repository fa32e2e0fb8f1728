using System.Globalization;

namespace Integration.DeadLetters;

/// <summary>
/// What one redrive pass may take: the dead-letters that were there when it started. Its copies carry
/// <see cref="DeadLetterProperties.RedrivePass"/> = <see cref="Id"/>, so a copy that fails again while the pass runs is
/// known exactly, whatever the clocks say; anything else enqueued after <see cref="CutOff"/> (the pass's clock) is also
/// left for the next pass. A CLI command that works in several slices (remote calls) sends the same pass with each.
/// </summary>
/// <param name="Id">The pass's id, recorded in its audit row and on every copy it sends.</param>
/// <param name="CutOff">Messages enqueued (on the task queue) after this time came after the pass started.</param>
public sealed record RedrivePass(string Id, DateTimeOffset CutOff)
{
    public static RedrivePass Start(TimeProvider time) => new(Guid.NewGuid().ToString("N"), time.GetUtcNow());

    /// <summary>Whether the message was dead-lettered before the pass started (and so is the pass's to take).</summary>
    public bool WasThereAtStart(DeadLetteredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var copyOfThisPass = message.Properties.TryGetValue(DeadLetterProperties.RedrivePass, out var pass)
            && string.Equals(Convert.ToString(pass, CultureInfo.InvariantCulture), Id, StringComparison.Ordinal);
        return !copyOfThisPass && message.EnqueuedAt <= CutOff;
    }
}
