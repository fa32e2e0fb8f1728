using System.Net.Http.Headers;
using System.Net.Http.Json;
using Azure.Identity;
using Integration.Operations;
using Integration.Operations.Identity;
using Integration.Local.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Cli.Commands.Ops;

/// <summary>
/// Where an operator command runs. Locally (the default): the core's services on the configured storage, as
/// <c>integration run</c> has them (<c>--settings FILE</c> loads the settings file <c>integration run --local</c> writes).
/// With <c>--remote</c>: a deployed app's ops functions, at <c>Ops:Url</c> (e.g. https://APP.azurewebsites.net/api/)
/// with the function key <c>Ops:Key</c> and an Entra ID bearer token for <c>Ops:Scope</c> (the ops app registration,
/// e.g. api://CLIENT_ID/.default) from DefaultAzureCredential (az login, environment, managed identity); environment:
/// <c>Ops__Url</c>, <c>Ops__Key</c>, <c>Ops__Scope</c>.
/// </summary>
internal sealed class OpsConnection : IDisposable
{
    private readonly IHost? _host;
    private readonly HttpClient? _http;

    private OpsConnection(IHost? host, HttpClient? http, TimeProvider time)
    {
        (_host, _http, Time) = (host, http, time);
    }

    public TimeProvider Time { get; }

    public bool IsRemote => _http is not null;

    public IServiceProvider Services => _host?.Services ?? throw new InvalidOperationException("Remote: no local services.");

    /// <summary>Who the audit names: the OS user of this CLI.</summary>
    public static string Actor => $"cli:{Environment.UserName}@{Environment.MachineName}";

    public static OpsConnection Open(CliSettings settings, bool remote, Action<IServiceCollection>? services = null)
    {
        var builder = ConsoleHost.CreateBuilder(settings);

        builder.Logging.AddFilter("Integration", LogLevel.Warning);
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace); // stdout is the result
        if (remote)
        {
            var url = builder.Configuration["Ops:Url"] ?? throw new ArgumentException("--remote needs the setting Ops:Url (e.g. Ops__Url=https://APP.azurewebsites.net/api/).");
            var key = builder.Configuration["Ops:Key"] ?? throw new ArgumentException("--remote needs the setting Ops:Key (a function key of the app; environment Ops__Key).");
            var baseAddress = new Uri(url.EndsWith('/') ? url : url + "/");
            var scope = builder.Configuration["Ops:Scope"];
            if (scope is null && !baseAddress.IsLoopback)
            {
                throw new ArgumentException("--remote needs the setting Ops:Scope (the ops app registration, e.g. Ops__Scope=api://CLIENT_ID/.default; README, Deployment: Identity on the ops endpoints).");
            }

            // Without a scope only a loopback address is reached: a local `integration console`, where nobody signs in.
            HttpMessageHandler handler = scope is null ? new HttpClientHandler()
                : new OpsBearerTokenHandler(new DefaultAzureCredential(), scope, TimeProvider.System) { InnerHandler = new HttpClientHandler() };
            var http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(4) };
            http.DefaultRequestHeaders.Add("x-functions-key", key);
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("integration-cli", "1.0"));
            return new OpsConnection(null, http, TimeProvider.System);
        }

        builder.AddIntegration();
        services?.Invoke(builder.Services);
        if (!builder.Services.Any(s => s.ServiceType == typeof(Integration.DeadLetters.IDeadLetterQueue)))
        {
            builder.Services.AddLocalDeadLetterQueue(); // the ops API's dead-letter endpoints need one, even for a command that lists imports
        }

        var host = builder.Build();
        return new OpsConnection(host, null, host.Services.GetRequiredService<TimeProvider>());
    }

    /// <summary>
    /// One page of an ops listing (<c>ops/{path}</c>), read the same way in both places: over HTTP with
    /// <c>--remote</c>, else from the core's <see cref="Integration.Operations.Api.OpsApi"/> in this process. A 400 is
    /// the operator's input: <see cref="OpsUsageException"/> (exit 2).
    /// </summary>
    public async Task<OpsPage<T>> PageAsync<T>(string path, IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        var (status, json) = (0, "");
        if (IsRemote)
        {
            var uri = $"ops/{path}?{string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"))}";
            using var response = await _http!.GetAsync(new Uri(uri, UriKind.Relative), cancellationToken);
            (status, json) = ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        else
        {
            var answer = await Services.GetRequiredService<Integration.Operations.Api.OpsApi>()
                .HandleInProcessAsync(new Integration.Operations.Api.OpsApiRequest("GET", path, query, null, _ => null), Actor, cancellationToken);
            (status, json) = (answer.Status, answer.Json);
        }

        return status switch
        {
            200 => OpsJson.Deserialize<OpsPage<T>>(json) ?? throw new HttpRequestException("The ops endpoint answered no JSON."),
            400 => throw new OpsUsageException(System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("error").GetString() ?? json),
            _ => throw new HttpRequestException($"The ops endpoint answered {status}: {json}"),
        };
    }

    public async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        await ReadAsync<T>(await _http!.GetAsync(new Uri(path, UriKind.Relative), cancellationToken), cancellationToken);

    public async Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        await ReadAsync<T>(await _http!.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, OpsJson.Options, cancellationToken), cancellationToken);

    public void Dispose()
    {
        _host?.Dispose();
        _http?.Dispose();
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"The ops endpoint answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
            }

            return OpsJson.Deserialize<T>(text) ?? throw new HttpRequestException("The ops endpoint answered no JSON.");
        }
    }
}

/// <summary>An operator input the ops API refused (HTTP 400): exit 2 with its problem, which names the parameter.</summary>
internal sealed class OpsUsageException(string message) : Exception(message);
