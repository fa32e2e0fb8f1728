using System.CommandLine;
using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration tasks reset TASK-UID</c>: clears the task's version row (audited), for a task blocked by a version that never landed.</summary>
internal static class TasksResetCommand
{
    public static Command Create(IReadOnlyList<string> overrides)
    {
        var uidArgument = new Argument<string>("TASK-UID") { Description = "The task's uid (a UUID such as c6951f29-e70d-04c9-3733-50f90b248db2)." };
        var (json, remote) = (CliOptions.Json(), CliOptions.Remote());
        var command = new Command("reset", "Clear a task's version row (audited): its next message is sent whatever its version.") { uidArgument, json, remote };
        command.SetAction((parse, cancellationToken) => OpsOutput.GuardAsync(async () =>
        {
            var text = parse.GetValue(uidArgument)!;
            if (!Guid.TryParse(text, out var uid))
            {
                return await OpsOutput.UsageAsync($"'{text}' is not a task uid (a UUID such as c6951f29-e70d-04c9-3733-50f90b248db2)");
            }

            using var connection = OpsConnection.Open(parse.Settings(overrides), parse.GetValue(remote));
            var result = connection.IsRemote
                ? await connection.PostAsync<TaskResetResult>($"ops/tasks/{uid:D}/reset", new { }, cancellationToken)
                : await connection.Services.GetRequiredService<TaskReset>().ResetAsync(uid, OpsConnection.Actor, cancellationToken);
            if (parse.GetValue(json))
            {
                OpsOutput.Json(result);
            }
            else
            {
                Console.WriteLine(result.Was is { } was
                    ? $"task {result.TaskUid}: reset (was applied {was.Applied}, high-water mark {was.HighWaterMark}); its next message is sent whatever its version"
                    : $"task {result.TaskUid}: had no version row; nothing to reset");
            }

            return OpsOutput.Done;
        }));
        return command;
    }
}
