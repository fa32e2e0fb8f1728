using System.Text;
using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Imports;

/// <summary>
/// Files above <c>Imports:PrevalidateMaxBytes</c> (0 here, so every file) are read once: the start checked before the
/// call, the rest while it uploads. Every behaviour of <see cref="ImportTests"/> holds the same way, and a problem found
/// during the upload stops it before its end: rejected, with nothing imported.
/// </summary>
public sealed class ImportCheckedWhileUploadingTests(AzuriteFixture azurite) : ImportTests(azurite)
{
    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>(base.AppSettings!)
    {
        ["Imports:PrevalidateMaxBytes"] = "0",
        ["Imports:StartCheckBytes"] = "1024",
    };

    public static TheoryData<string, string, string> LateProblems => new()
    {
        { "invalid utf-8 late in the file", "NotUtf8", "invalid byte 0xC3" },
        { "NUL byte late in the file", "Binary", "NUL byte" },
        { "quote never closed at the end", "UnterminatedQuote", "never closed" },
    };

    [Theory]
    [MemberData(nameof(LateProblems))]
    public async Task A_problem_past_the_checked_start_stops_the_upload_before_its_end_and_rejects_the_import(string what, string code, string detail)
    {
        var valid = Encoding.UTF8.GetBytes(Csv(300));
        byte[] content = what switch
        {
            "invalid utf-8 late in the file" => [.. valid, 0xC3, 0x28, (byte)'\n', .. Encoding.UTF8.GetBytes(Csv(50)[21..])],
            "NUL byte late in the file" => [.. valid, (byte)'S', 0x00, (byte)'\n'],
            _ => [.. valid, .. "S301,\"never closed\n"u8],
        };
        Assert.True(content.Length > 4 * 1024, "the problem lies well past the 1 KiB checked before the call");
        var blob = await DropAsync($"42/sites/late-{code}.csv", content);

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        Assert.Empty(Sandbox.Imports); // the request never completed: nothing was imported
        Assert.InRange(Sandbox.Calls.Count(Import), 0, 1); // and it was not retried
        var rejection = (await ReportAsync(blob.Name)).GetProperty("rejection");
        Assert.Equal(code, rejection.GetProperty("code").GetString());
        var message = rejection.GetProperty("message").GetString()!;
        Assert.Contains(detail, message, StringComparison.Ordinal);
        Assert.Contains("upload was stopped before its end", message, StringComparison.Ordinal);
        Assert.True((await ImportAsync(blob)).AlreadyImported, "the rejection is final for this blob version");
        Assert.True(await blob.ExistsAsync(), "the dropped file is kept");
    }

    [Theory]
    [InlineData("binary", "Binary")]
    [InlineData("duplicate header", "DuplicateHeaderColumn")]
    [InlineData("over the size cap", "TooLarge")]
    public async Task A_problem_in_the_checked_start_or_the_size_is_rejected_before_any_call(string what, string code)
    {
        byte[] content = what switch
        {
            "binary" => [0x50, 0x4B, 0x03, 0x04, .. Encoding.UTF8.GetBytes(Csv(100))],
            "duplicate header" => Encoding.UTF8.GetBytes("site_id,name,Name\n" + Csv(100)[21..]),
            _ => Encoding.UTF8.GetBytes(Csv(4000)),
        };
        var blob = await DropAsync($"42/sites/start-{code}.csv", content);

        var outcome = await ImportAsync(blob);

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        Assert.Equal(0, Sandbox.Calls.Count(Import));
        Assert.Equal(code, (await ReportAsync(blob.Name)).GetProperty("rejection").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_413_before_the_upload_was_read_checks_the_file_in_full_before_splitting()
    {
        // 16 MiB: far more than loopback socket buffers hold, so the sandbox's 413 (on Content-Length) comes back
        // long before the upload reaches the bad byte at the end.
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 4000 });
        await using var app = await StartAppAsync(sandbox, new Dictionary<string, string?> { ["Imports:MaxFileBytes"] = $"{64 << 20}" });
        var blob = await DropAsync("42/sites/late-and-large.csv", [.. Encoding.UTF8.GetBytes(Csv(300_000)), 0xFF, (byte)'\n']);

        var outcome = await ImportAsync(blob, app);

        Assert.Equal(ImportStatus.Rejected, outcome.Status);
        Assert.Empty(sandbox.Imports); // no part was sent
        Assert.Equal([413], sandbox.Calls.For(Import).Select(c => c.Status).ToArray());
        Assert.Equal("NotUtf8", (await ReportAsync(blob.Name)).GetProperty("rejection").GetProperty("code").GetString());
    }
}
