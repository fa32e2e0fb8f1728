using System.CommandLine;

namespace Integration.Cli.Commands;

/// <summary>
/// <c>integration tasks ...</c>: the task queue's commands, one file each (<see cref="TasksPushCommand"/>); a new
/// sub-command is one more <c>Create</c> here.
/// </summary>
internal static class TasksCommand
{
    public static Command Create(IReadOnlyList<string> overrides) => new("tasks", "Task messages (the Service Bus stand-in of a local run).")
    {
        TasksPushCommand.Create(overrides),
        Ops.TasksResetCommand.Create(overrides),
    };
}
