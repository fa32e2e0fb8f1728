namespace Integration.Tests.Cli;

/// <summary>
/// The command line a new operator meets: help on every command and sub-command (exit 0, on stdout), the commands
/// listed when none is given (exit 2), typos answered with a suggestion (exit 2), completions for the shell.
/// </summary>
public sealed class CliHelpTests
{
    public static TheoryData<string[]> Commands() => new()
    {
        { [] },
        { ["run"] },
        { ["secrets"] },
        { ["secrets", "set"] },
        { ["import"] },
        { ["tasks"] },
        { ["tasks", "push"] },
        { ["sandbox"] },
        { ["deadletters"] },
        { ["deadletters", "list"] },
        { ["deadletters", "groups"] },
        { ["deadletters", "redrive"] },
        { ["resync"] },
        { ["imports"] },
        { ["imports", "list"] },
        { ["imports", "reimport"] },
        { ["imports", "resolve"] },
        { ["requests"] },
        { ["requests", "list"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_on_every_command_exits_0_with_its_usage_on_stdout(string[] command)
    {
        var result = await CliProcess.RunAsync([.. command, "--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"Usage:\n  integration {string.Join(' ', command)}".Replace("  integration \n", "  integration [", StringComparison.Ordinal).TrimEnd(), result.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("--settings <FILE>", result.Out, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Integration_alone_lists_the_commands_on_stderr_and_exits_2()
    {
        var result = await CliProcess.RunAsync();

        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Out);
        foreach (var command in new[] { "run", "secrets", "import <FILE>", "tasks", "sandbox", "deadletters", "resync", "imports", "requests" })
        {
            Assert.Contains($"\n  {command} ", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("deadleters", "deadletters")]
    [InlineData("requets", "requests")]
    public async Task An_unknown_command_exits_2_suggesting_the_nearest(string typo, string suggestion)
    {
        var result = await CliProcess.RunAsync(typo, "list");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"'{typo}' was not matched. Did you mean one of the following?\n{suggestion}", result.Error.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_push_has_no_local_of_its_own_any_more()
    {
        var file = Path.GetTempFileName();
        try
        {
            var result = await CliProcess.RunAsync("tasks", "push", file, "--local");

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("Unrecognized command or argument '--local'", result.Error, StringComparison.Ordinal);
            Assert.Contains("--settings .local/run-settings.json", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("integration dead", "deadletters")]
    [InlineData("integration deadletters re", "redrive")]
    [InlineData("integration deadletters redrive --fi", "--fingerprint")]
    [InlineData("integration imports resolve 42/sites/a.csv --a", "--arrived")]
    public async Task The_suggest_directive_the_shell_completion_calls_completes_commands_and_options(string line, string completion)
    {
        var result = await CliProcess.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(completion, result.Out.Split('\n', StringSplitOptions.TrimEntries));
    }

    [Theory]
    [InlineData("resync", "--since", "Infinityh")]
    [InlineData("resync", "--since", "3000000d")]
    [InlineData("resync", "--since", "2h", "--rate", "0")]
    [InlineData("resync", "--since", "2h", "--rate", "NaN")]
    [InlineData("resync", "--since", "2h", "--max", "0.5", "--remote")]
    [InlineData("resync", "--since", "2h", "--max", "99999999999")]
    [InlineData("deadletters", "redrive", "--until", "9999-12-31T23:59:59Z")]
    [InlineData("deadletters", "list", "--since", "-1h")]
    [InlineData("requests", "list", "--since", "1e308s")]
    [InlineData("imports", "list", "--since", "NaNd")]
    [InlineData("deadletters", "redrive", "--rate")]
    [InlineData("imports", "resolve", "--arrived", "--lost")]
    public async Task Hostile_values_exit_2_naming_the_option_before_any_setting_is_read(params string[] args)
    {
        // No settings at all: a value that got past the parser would end in exit 3 (storage not configured).
        var result = await CliProcess.RunAsync(args);

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("Unhandled exception", result.Error, StringComparison.Ordinal);
        Assert.Contains(args.Last(a => a.StartsWith("--", StringComparison.Ordinal) && a != "--remote"), result.Error, StringComparison.Ordinal);
    }
}
