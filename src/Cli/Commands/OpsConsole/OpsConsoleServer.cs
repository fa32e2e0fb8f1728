using System.Net;
using Integration.Operations.OpsConsole;
using Integration.Operations.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.Cli.Commands.OpsConsole;

/// <summary><c>Console:Port</c>: the loopback port of the local ops console (0: a free one, printed at start).</summary>
internal sealed class OpsConsoleOptions
{
    public const string SectionName = "Console";

    [System.ComponentModel.DataAnnotations.Range(0, 65535)]
    public int Port { get; set; }
}

/// <summary>
/// The ops console of a local host (<c>integration console</c>, <c>integration run --local</c>): Kestrel on loopback
/// serving the page at <c>/api/ops/console</c> and the ops JSON API at <c>/api/ops/…</c> (<see cref="OpsApiRoutes"/>), the
/// paths a deployed app has them at. Requests must name the loopback host and port (no DNS rebinding); the API's own
/// checks (authorization, JSON content type and Origin on POST) apply as in Azure.
/// </summary>
internal sealed class OpsConsoleServer(IServiceProvider app, IOptions<OpsConsoleOptions> options, ILogger<OpsConsoleServer> logger) : IHostedService, IAsyncDisposable
{
    public const string PagePath = "/api/ops/console";
    private WebApplication? _web;

    public Uri? Url { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Value.Port));
        var web = builder.Build();
        string[] allowedHosts = [];
        web.Use(async (context, next) =>
        {
            if (!allowedHosts.Contains(context.Request.Host.Value, StringComparer.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                return;
            }

            await next(context);
        });
        web.MapGet("/", () => Results.Redirect(PagePath));
        web.MapGet(PagePath, ServePage);
        OpsApiRoutes.Map(web, app);
        await web.StartAsync(cancellationToken);
        var address = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        allowedHosts = [$"127.0.0.1:{address.Port}", $"localhost:{address.Port}"];
        _web = web;
        Url = new Uri($"http://127.0.0.1:{address.Port}{PagePath}");
        logger.LogInformation("Ops console at {Url}", Url);
        System.Console.WriteLine($"Ops console: {Url}");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_web is not null)
        {
            await _web.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_web is not null)
        {
            await _web.DisposeAsync();
        }
    }

    private async Task ServePage(HttpContext context)
    {
        var decision = app.GetRequiredService<OpsAuthorizer>().Authorize(name => context.Request.Headers[name].FirstOrDefault(), OpsAccess.Read, "OpsConsole");
        var (status, html, headers) = decision is OpsAuthorization.Refused refused
            ? (refused.Status, ConsolePage.Refusal(refused.Reason), ConsolePage.RefusalHeaders)
            : Page(ConsolePage.Render());
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(html, context.RequestAborted);
    }

    private static (int, string, IReadOnlyDictionary<string, string>) Page(ConsoleAnswer page) => (StatusCodes.Status200OK, page.Html, page.Headers);
}
