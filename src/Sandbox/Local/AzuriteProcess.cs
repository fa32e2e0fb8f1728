using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Integration.Sandbox.Local;

/// <summary>
/// Azurite (Azure Storage emulator) from the repository's own node_modules, installed with <c>npm ci</c>
/// when missing, on free loopback ports and in a throwaway folder (or a kept one); killed on dispose.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string _script;
    private readonly string _folder;
    private Process _process;
    private readonly bool _keep;

    private AzuriteProcess(string script, Process process, string folder, bool keep, int blobPort, int queuePort, int tablePort)
    {
        (_script, _process, _folder, _keep, BlobPort, QueuePort, TablePort) = (script, process, folder, keep, blobPort, queuePort, tablePort);
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};"
        + $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;"
        + $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;"
        + $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <param name="repositoryRoot">The folder holding package.json and package-lock.json.</param>
    /// <param name="dataFolder">Where Azurite keeps its blobs, queues and tables across runs; null: a temp folder deleted on dispose.</param>
    /// <param name="cancellationToken">Stops waiting for Azurite to listen.</param>
    public static async Task<AzuriteProcess> StartAsync(string repositoryRoot, string? dataFolder = null, CancellationToken cancellationToken = default)
    {
        var script = await NodeModules.EnsureInstalledAsync(repositoryRoot, "azurite/dist/src/azurite.js", cancellationToken);
        var folder = dataFolder is null ? Directory.CreateTempSubdirectory("azurite-").FullName : Directory.CreateDirectory(dataFolder).FullName;
        var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
        var azurite = new AzuriteProcess(script, Launch(script, folder, blob, queue, table), folder, keep: dataFolder is not null, blob, queue, table);
        try
        {
            await azurite.WaitUntilListeningAsync(cancellationToken);
            return azurite;
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// An outage: stops Azurite as a host going down would (SIGTERM, so it saves what it holds), keeping its data folder
    /// and ports; <see cref="RestartAsync"/> brings it back on the same ports with the same data.
    /// </summary>
    public async Task StopAsync()
    {
        await TerminateAsync();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <summary>Starts Azurite again after <see cref="StopAsync"/>: the same ports, the same data folder.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("Azurite is still running; stop it first.");
        }

        _process.Dispose();
        _process = Launch(_script, _folder, BlobPort, QueuePort, TablePort);
        await WaitUntilListeningAsync(cancellationToken);
    }

    private Task WaitUntilListeningAsync(CancellationToken cancellationToken) =>
        ProcessOutput.WaitForLineAsync(_process, "Azurite Table service is successfully listening", TimeSpan.FromMinutes(1), cancellationToken);

    private static Process Launch(string script, string folder, int blob, int queue, int table)
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList =
            {
                script, "--location", folder, "--skipApiVersionCheck", "--loose", "--disableProductStyleUrl", "--silent", "--disableTelemetry",
                "--blobHost", "127.0.0.1", "--blobPort", $"{blob}",
                "--queueHost", "127.0.0.1", "--queuePort", $"{queue}",
                "--tableHost", "127.0.0.1", "--tablePort", $"{table}",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start Azurite (is Node.js on PATH?).");
    }

    private async Task TerminateAsync()
    {
        if (_process.HasExited || OperatingSystem.IsWindows())
        {
            return;
        }

        // Azurite saves its metadata (which blobs, queues, entities exist) when it stops on SIGTERM; a kill loses what it had not saved yet.
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Did not stop in time: the caller kills it.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_keep)
        {
            await TerminateAsync();
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_keep)
        {
            return;
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
