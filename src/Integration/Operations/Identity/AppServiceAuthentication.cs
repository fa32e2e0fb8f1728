using Microsoft.Extensions.Configuration;

namespace Integration.Operations.Identity;

/// <summary>
/// Whether App Service Authentication runs in front of this app: the platform sets <c>WEBSITE_AUTH_ENABLED=True</c>
/// when it is on (as Microsoft.Identity.Web reads it). Only then are the <c>X-MS-CLIENT-PRINCIPAL*</c> headers the
/// platform's: it removes them from every incoming request and sets them itself after validating the caller's token.
/// Without it anyone can send them.
/// </summary>
public sealed class AppServiceAuthentication(IConfiguration configuration)
{
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    public bool Enabled => bool.TryParse(configuration[EnabledSetting], out var enabled) && enabled;
}
