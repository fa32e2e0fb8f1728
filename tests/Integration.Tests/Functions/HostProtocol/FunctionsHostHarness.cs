using System.Diagnostics;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Grpc.Core;
using Integration.Tests.Functions.HostProtocol.Rpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Integration.Tests.Functions.HostProtocol;

/// <summary>
/// Plays the Functions host for the built <c>Integration.Functions</c> worker: serves the host's gRPC event stream on a
/// free loopback port, starts the worker as a process the way the host does (<c>Functions:Worker:*</c> settings,
/// <c>FUNCTIONS_WORKER_DIRECTORY</c>), then goes through worker init, functions metadata and function load; tests then
/// invoke functions by name. Everything the worker sends (logs included) is kept, to look for secrets in.
/// </summary>
internal sealed class FunctionsHostHarness : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private WebApplication? _server;
    private readonly Channel<StreamingMessage> _fromWorker = Channel.CreateUnbounded<StreamingMessage>();
    private readonly Channel<StreamingMessage> _toWorker = Channel.CreateUnbounded<StreamingMessage>();
    private readonly TaskCompletionSource _streamEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _workerOutput = new();
    private Process? _worker;

    private FunctionsHostHarness()
    {
    }

    /// <summary>Every message the worker sent, in order.</summary>
    public List<StreamingMessage> Received { get; } = [];

    /// <summary>The functions the worker reported, by name (as loaded).</summary>
    public Dictionary<string, RpcFunctionMetadata> Functions { get; } = new(StringComparer.Ordinal);

    public string WorkerOutput
    {
        get
        {
            lock (_workerOutput)
            {
                return _workerOutput.ToString();
            }
        }
    }

    /// <summary>Everything the worker said: its gRPC messages (logs, results, exceptions) and its console output.</summary>
    public string Transcript
    {
        get
        {
            lock (Received)
            {
                return string.Join('\n', Received.Select(m => m.ToString())) + "\n" + WorkerOutput;
            }
        }
    }

    public static async Task<FunctionsHostHarness> StartAsync(IReadOnlyDictionary<string, string?> appSettings)
    {
        var harness = new FunctionsHostHarness();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxReceiveMessageSize = null);
        builder.Services.AddSingleton(harness);
        var server = builder.Build();
        harness._server = server;
        server.MapGrpcService<HostEndpoint>();
        await server.StartAsync();
        var address = server.Urls.Single();
        try
        {
            harness.StartWorker(new Uri(address), appSettings);
            await harness.InitializeAsync();
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }

        return harness;
    }

    private void StartWorker(Uri endpoint, IReadOnlyDictionary<string, string?> appSettings)
    {
        var folder = BuiltFunctionApp.Folder;
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(BuiltFunctionApp.WorkerDll);
        foreach (var (name, value) in appSettings)
        {
            start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Functions__Worker__HostEndpoint"] = endpoint.ToString();
        start.Environment["Functions__Worker__WorkerId"] = WorkerId;
        start.Environment["Functions__Worker__RequestId"] = Guid.NewGuid().ToString();
        start.Environment["Functions__Worker__GrpcMaxMessageLength"] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = folder;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";
        start.Environment["DOTNET_NOLOGO"] = "1";
        _worker = Process.Start(start)!;
        _worker.OutputDataReceived += (_, e) => Keep(e.Data);
        _worker.ErrorDataReceived += (_, e) => Keep(e.Data);
        _worker.BeginOutputReadLine();
        _worker.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_workerOutput)
            {
                _workerOutput.AppendLine(line);
            }
        }
    }

    public string WorkerId { get; } = Guid.NewGuid().ToString();

    /// <summary>Worker init, functions metadata, and a load of every function the worker reports.</summary>
    private async Task InitializeAsync()
    {
        var started = await NextAsync(m => m.StartStream is not null, "StartStream");
        Assert.Equal(WorkerId, started.StartStream.WorkerId);

        var folder = BuiltFunctionApp.Folder;
        var init = await RequestAsync(
            new StreamingMessage { WorkerInitRequest = new WorkerInitRequest { HostVersion = "4.1044.0", WorkerDirectory = folder, FunctionAppDirectory = folder } },
            m => m.WorkerInitResponse is not null,
            "WorkerInitResponse");
        AssertSucceeded(init.WorkerInitResponse.Result, "worker init");

        var metadata = await RequestAsync(
            new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = folder } },
            m => m.FunctionMetadataResponse is not null,
            "FunctionMetadataResponse");
        AssertSucceeded(metadata.FunctionMetadataResponse.Result, "functions metadata");
        Assert.False(metadata.FunctionMetadataResponse.UseDefaultMetadataIndexing);

        foreach (var function in metadata.FunctionMetadataResponse.FunctionMetadataResults)
        {
            var load = new RpcFunctionMetadata
            {
                Name = function.Name,
                FunctionId = function.FunctionId,
                Directory = folder,
                ScriptFile = function.ScriptFile,
                EntryPoint = function.EntryPoint,
                Language = function.Language,
            };
            foreach (var raw in function.RawBindings)
            {
                var binding = System.Text.Json.Nodes.JsonNode.Parse(raw)!;
                var info = new BindingInfo
                {
                    Type = (string)binding["type"]!,
                    Direction = ((string?)binding["direction"])?.ToUpperInvariant() switch { "OUT" => BindingInfo.Types.Direction.Out, "INOUT" => BindingInfo.Types.Direction.Inout, _ => BindingInfo.Types.Direction.In },
                };
                if (binding["properties"] is System.Text.Json.Nodes.JsonObject properties)
                {
                    foreach (var (key, value) in properties)
                    {
                        info.Properties[key] = value?.ToString() ?? "";
                    }
                }

                load.Bindings[(string)binding["name"]!] = info;
            }

            load.RawBindings.AddRange(function.RawBindings);
            var loaded = await RequestAsync(
                new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = load } },
                m => m.FunctionLoadResponse?.FunctionId == function.FunctionId,
                $"FunctionLoadResponse for {function.Name}");
            AssertSucceeded(loaded.FunctionLoadResponse.Result, $"loading {function.Name}");
            Functions[function.Name] = load;
        }
    }

    /// <summary>Invokes a loaded function as the host does, and returns the worker's answer.</summary>
    public async Task<InvocationResponse> InvokeAsync(string function, IEnumerable<ParameterBinding> inputs, IDictionary<string, TypedData>? triggerMetadata = null)
    {
        var id = Guid.NewGuid().ToString();
        var request = new InvocationRequest
        {
            InvocationId = id,
            FunctionId = Functions[function].FunctionId,
            TraceContext = new RpcTraceContext { TraceParent = $"00-{Guid.NewGuid():N}-{Guid.NewGuid():N}"[..52] + "-01" },
            RetryContext = new RetryContext(),
        };
        request.InputData.AddRange(inputs);
        if (triggerMetadata is not null)
        {
            request.TriggerMetadata.Add(triggerMetadata);
        }

        var answer = await RequestAsync(new StreamingMessage { InvocationRequest = request }, m => m.InvocationResponse?.InvocationId == id, $"InvocationResponse for {function}");
        return answer.InvocationResponse;
    }

    private async Task<StreamingMessage> RequestAsync(StreamingMessage request, Func<StreamingMessage, bool> answer, string what)
    {
        request.RequestId = Guid.NewGuid().ToString();
        await _toWorker.Writer.WriteAsync(request);
        return await NextAsync(answer, what);
    }

    private async Task<StreamingMessage> NextAsync(Func<StreamingMessage, bool> match, string what)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            while (await _fromWorker.Reader.WaitToReadAsync(timeout.Token))
            {
                while (_fromWorker.Reader.TryRead(out var message))
                {
                    if (match(message))
                    {
                        return message;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        throw new TimeoutException($"No {what} from the worker within {Timeout.TotalSeconds} s (exited: {_worker?.HasExited}). Worker output:\n{WorkerOutput}");
    }

    private void AssertSucceeded(StatusResult result, string step) =>
        Assert.True(result.Status == StatusResult.Types.Status.Success, $"{step} failed: {result}\nWorker output:\n{WorkerOutput}");

    /// <summary>The host's side of one event stream: what the worker sends goes to the harness, what the harness queues goes out.</summary>
    private async Task ServeAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        var writing = Task.Run(async () =>
        {
            await foreach (var message in _toWorker.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }, cancellationToken);
        try
        {
            await foreach (var message in requests.ReadAllAsync(cancellationToken))
            {
                lock (Received)
                {
                    Received.Add(message);
                }

                await _fromWorker.Writer.WriteAsync(message, cancellationToken);
            }
        }
        finally
        {
            _streamEnded.TrySetResult();
        }

        try
        {
            await writing.WaitAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or InvalidOperationException or IOException)
        {
            // The worker went away: nothing more to send.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _toWorker.Writer.TryComplete();
        if (_worker is { HasExited: false })
        {
            _worker.Kill(entireProcessTree: true);
            await _worker.WaitForExitAsync();
        }

        _worker?.Dispose();
        if (_server is not null)
        {
            await _server.StopAsync();
            await _server.DisposeAsync();
        }
    }

    /// <summary>The gRPC service the worker connects to.</summary>
    private sealed class HostEndpoint(FunctionsHostHarness harness) : FunctionRpc.FunctionRpcBase
    {
        public override Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context) =>
            harness.ServeAsync(requestStream, responseStream, context.CancellationToken);
    }
}
