using Integration.Operations;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Cli.Commands.Ops;

/// <summary><c>integration tasks reset TASK-UID</c>: clears the task's version row (audited), for a task blocked by a version that never landed.</summary>
internal static class TasksResetCommand
{
    private const string Usage = "integration tasks reset TASK-UID [--json] [--remote] [--settings FILE]";

    public static Task<int> ExecuteAsync(string[] rest) => OpsOutput.GuardAsync(async () =>
    {
        var args = OpsArguments.Parse(rest);
        if (args.Check(1, "--json", "--remote", "--settings") is { } problem)
        {
            return await OpsOutput.UsageAsync(Usage, problem);
        }

        if (!Guid.TryParse(args.Positional[0], out var uid))
        {
            return await OpsOutput.UsageAsync(Usage, $"'{args.Positional[0]}' is not a task uid (a UUID such as c6951f29-e70d-04c9-3733-50f90b248db2)");
        }

        using var connection = OpsConnection.Open(args);
        var result = connection.IsRemote
            ? await connection.PostAsync<TaskResetResult>($"ops/tasks/{uid:D}/reset", new { }, CancellationToken.None)
            : await connection.Services.GetRequiredService<TaskReset>().ResetAsync(uid, OpsConnection.Actor, CancellationToken.None);
        if (args.Json)
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
    });
}
