namespace Integration.Tests.Cli;

/// <summary>
/// <c>--remote</c> needs the ops app registration's scope to get its bearer token: without it the CLI says so in one
/// line and exits 3 before any request goes out (only a loopback address, a local <c>integration console</c>, is reached
/// without one).
/// </summary>
public sealed class OpsRemoteIdentityCliTests
{
    [Fact]
    public async Task Remote_without_Ops_Scope_names_the_setting_and_exits_3()
    {
        // A reserved name that never resolves: nothing is sent there, the command stops before its first request.
        var result = await CliProcess.RunAsync("imports", "list", "--remote", "--Ops:Url=https://app.invalid/api/", "--Ops:Key=not-a-real-key");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Ops:Scope", result.Error, StringComparison.Ordinal);
        Assert.Contains("api://", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-a-real-key", result.Error + result.Out, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }
}
