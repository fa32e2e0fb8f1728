using System.Net;
using System.Security.Cryptography.X509Certificates;
using Integration.Sandbox.KeyVault;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Sandbox.Hosting;

/// <summary>The HTTPS Key Vault listener. Every request is recorded under <see cref="SandboxRoutes.KeyVault"/>, without its body.</summary>
internal static class KeyVaultApp
{
    public static WebApplication Build(SandboxState state, ILoggerFactory loggers, X509Certificate2 certificate)
    {
        var builder = SandboxHost.CreateBuilder(state, loggers, kestrel => kestrel.Listen(IPAddress.Loopback, 0, o => o.UseHttps(certificate)));
        var app = builder.Build();
        app.UseRouting();
        app.UseCallRecording(state, _ => SandboxRoutes.KeyVault, new CallRecordingOptions("x-ms-request-id", RecordBody: false));
        app.UseKeyVaultAuthentication(state.Options.KeyVaultAccessToken, loggers.CreateLogger("Integration.Sandbox.KeyVault"));
        app.MapKeyVault();
        return app;
    }
}
