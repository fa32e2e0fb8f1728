namespace Integration.Tasks.Messages;

/// <summary>What <see cref="TaskMessageParser.Parse"/> made of a message body, as a value.</summary>
public abstract record TaskMessageParse
{
    private TaskMessageParse()
    {
    }

    public sealed record Valid(TaskMessage Message) : TaskMessageParse;

    /// <summary>
    /// The body breaks the contract. <paramref name="Reason"/> says how, for a person (it becomes the dead-letter
    /// description); it quotes at most short clipped excerpts of the body, never the whole of it.
    /// </summary>
    public sealed record Invalid(string Reason) : TaskMessageParse;
}
