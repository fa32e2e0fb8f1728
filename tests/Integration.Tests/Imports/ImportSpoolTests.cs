using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Integration.Imports;
using Integration.Sandbox;
using Integration.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Tests.Imports;

/// <summary>
/// A file read in full before its upload (checked first, or split into parts) is copied to local disk by that read, and its
/// uploads read the copy: storage is read once. The copy has no name on disk, is released however the run ends, and
/// without room (off, too small, a folder that fails) the uploads read storage again.
/// </summary>
public sealed class ImportSpoolTests(AzuriteFixture azurite) : ImportTestBase(azurite), IDisposable
{
    private readonly DirectoryInfo _spoolDirectory = Directory.CreateTempSubdirectory("import-spool-");

    protected override IReadOnlyDictionary<string, string?>? AppSettings => new Dictionary<string, string?>(base.AppSettings!)
    {
        ["Imports:SpoolDirectory"] = _spoolDirectory.FullName,
        ["Imports:SpoolFreeBytes"] = "0",
    };

    public void Dispose() => _spoolDirectory.Delete(recursive: true);

    [Theory]
    [InlineData(null, true)]
    [InlineData("0", false)] // the spool off
    [InlineData("4000", false)] // less room than the file
    public async Task A_split_file_is_read_from_storage_once_and_its_parts_from_the_local_copy(string? spoolMaxBytes, bool copied)
    {
        await using var sandbox = await StartSandboxAsync(new SandboxOptions { MaxUploadBytes = 4000 });
        await using var app = await StartAppAsync(sandbox, spoolMaxBytes is null ? null : new Dictionary<string, string?> { ["Imports:SpoolMaxBytes"] = spoolMaxBytes });
        var csv = Csv(300); // about 12 KB: at least 4 parts under the partner's 4,000 bytes
        var gets = new BlobGets();
        var blob = await CountedDropAsync("42/sites/spooled.csv", csv, gets);

        var outcome = await ImportAsync(blob, app);

        Assert.Equal(ImportStatus.Succeeded, outcome.Status);
        var parts = sandbox.Imports.Select(i => i.Sheets["sites"].Content!).ToList();
        Assert.InRange(parts.Count, 4, 10);
        Assert.Equal(Rows(csv), string.Concat(parts.Select(Rows))); // every row once, in order, whichever way it was read
        if (copied)
        {
            Assert.Equal(2, gets.Count); // its first bytes when opened, then the pass that checks it; the uploads read the copy
        }
        else
        {
            Assert.True(gets.Count >= 2 + parts.Count, $"{gets.Count} reads: each part is read from storage again");
        }

        AssertNothingLeft(app);
    }

    [Fact]
    public async Task The_copy_has_no_name_on_disk_while_the_upload_reads_it_and_its_room_is_given_back_after()
    {
        var gate = new TaskCompletionSource();
        Sandbox.Faults.Enqueue(Import, new Fault { Gate = gate });
        var csv = Csv(60);
        var blob = await DropAsync("42/sites/held.csv", csv);

        var import = ImportAsync(blob);
        await Sandbox.Calls.WaitForCallAsync(Import, 1, CancellationToken.None);

        Assert.Empty(_spoolDirectory.EnumerateFileSystemInfos()); // unlinked when created: nothing to find, nothing left by a crash
        Assert.Equal(Encoding.UTF8.GetByteCount(csv), App.Services.GetRequiredService<ImportSpools>().Reserved);
        gate.SetResult();
        Assert.Equal(ImportStatus.Succeeded, (await import).Status);
        Assert.Equal(csv, Assert.Single(Sandbox.Imports).Sheets["sites"].Content);
        AssertNothingLeft(App);
    }

    [Theory]
    [InlineData("rejected: a bad byte past the start")]
    [InlineData("retried later: the partner keeps failing")]
    public async Task A_run_that_does_not_succeed_gives_its_copy_back(string ending)
    {
        var blob = ending.StartsWith("rejected", StringComparison.Ordinal)
            ? await DropAsync("42/sites/bad.csv", [.. Encoding.UTF8.GetBytes(Csv(100)), 0xC3, 0x28, (byte)'\n'])
            : await DropAsync("42/sites/failing.csv", Csv(100));
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:MaxRetryAttempts"] = "0" });
        Sandbox.Faults.Enqueue(Import, Fault.WithStatus(503));

        if (ending.StartsWith("rejected", StringComparison.Ordinal))
        {
            Assert.Equal(ImportStatus.Rejected, (await ImportAsync(blob, app)).Status);
        }
        else
        {
            await Assert.ThrowsAsync<ImportRetryException>(() => ImportAsync(blob, app));
        }

        AssertNothingLeft(app);
    }

    [Fact]
    public async Task A_spool_folder_that_fails_is_logged_and_the_file_is_read_from_storage_again()
    {
        var missing = Path.Combine(_spoolDirectory.FullName, "missing", "folder");
        await using var app = await StartAppAsync(Sandbox, new Dictionary<string, string?> { ["Imports:SpoolDirectory"] = missing });
        var csv = Csv(80);
        var blob = await DropAsync("42/sites/no-folder.csv", csv);

        Assert.Equal(ImportStatus.Succeeded, (await ImportAsync(blob, app)).Status);

        Assert.Equal(csv, Assert.Single(Sandbox.Imports).Sheets["sites"].Content);
        var warning = Assert.Single(app.Logs.Lines, l => l.Message.Contains("could not be copied to local disk", StringComparison.Ordinal));
        Assert.Equal(blob.Name, warning.Property<string>("BlobName"));
        Assert.Equal(missing, warning.Property<string>("SpoolDirectory"));
        Assert.Equal(0, app.Services.GetRequiredService<ImportSpools>().Reserved);
    }

    public static TheoryData<string, long, long, long, bool, string, string?> Decisions => new()
    {
        { "room", 100, 0, 10_000, false, "", null },
        { "off", 100, 0, 10_000, false, "", "SpoolMaxBytes is 0" },
        { "the budget taken by other copies", 600, 500, 10_000, false, "", "more than Imports:SpoolMaxBytes (1000)" },
        { "a memory-backed temporary folder", 100, 0, 10_000, true, "", "memory-backed (tmpfs)" },
        { "a memory-backed folder named on purpose", 100, 0, 10_000, true, "/dev/shm/imports", null },
        { "too little disk left", 100, 200, 2_250, false, "", "less than Imports:SpoolFreeBytes (2000)" },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Whether_a_file_is_copied_depends_on_the_budget_the_disk_and_its_kind(string what, long length, long reserved, long available, bool memoryBacked, string directory, string? refusal)
    {
        var options = new ImportsOptions { SpoolMaxBytes = what == "off" ? 0 : 1000, SpoolFreeBytes = 2000, SpoolDirectory = directory };

        var answer = ImportSpools.Refusal(length, reserved, options, available, memoryBacked);

        if (refusal is null)
        {
            Assert.Null(answer);
        }
        else
        {
            Assert.Contains(refusal, answer, StringComparison.Ordinal);
        }
    }

    private void AssertNothingLeft(IntegrationHost app)
    {
        Assert.Empty(_spoolDirectory.EnumerateFileSystemInfos());
        Assert.Equal(0, app.Services.GetRequiredService<ImportSpools>().Reserved);
    }

    /// <summary>The drop, through a client that counts the GETs of it (the handler reads the blob with the client it is given).</summary>
    private async Task<BlobClient> CountedDropAsync(string name, string content, BlobGets gets)
    {
        await DropAsync(name, content);
        var options = new BlobClientOptions();
        options.AddPolicy(gets, HttpPipelinePosition.PerCall);
        return new BlobServiceClient(Azurite.ConnectionString, options).GetBlobContainerClient(Container).GetBlobClient(name);
    }

    private static string Rows(string csv) => csv["site_id,name,address\n".Length..];

    private sealed class BlobGets : HttpPipelineSynchronousPolicy
    {
        private int _count;

        public int Count => _count;

        public override void OnSendingRequest(HttpMessage message)
        {
            if (message.Request.Method == RequestMethod.Get)
            {
                Interlocked.Increment(ref _count);
            }
        }
    }
}
