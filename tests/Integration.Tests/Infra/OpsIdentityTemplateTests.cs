using System.Text.Json.Nodes;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Infra;

/// <summary>
/// App Service Authentication (Entra ID) in front of the Function App, as compiled: on when the ops app registration's
/// client id is given, validating tokens for it from this tenant, letting token-less requests through to the code
/// (webhooks need none; the ops functions refuse them); and the app told to require a validated principal.
/// </summary>
public sealed class OpsIdentityTemplateTests
{
    private static JsonObject Main => BicepCli.Build(Path.Combine(BicepFolder, "main.bicep"));

    [Fact]
    public void App_Service_Authentication_validates_tokens_for_the_ops_app_registration()
    {
        Assert.Equal("[parameters('opsAppClientId')]", Main["resources"]!["functionApp"]!["properties"]!["parameters"]!["opsAppClientId"]!["value"]!.GetValue<string>());
        var auth = BicepCli.Resources(BicepCli.ModuleTemplate(Main, "functionApp"), "functionApp")
            .Select(r => r.Resource)
            .Single(r => r["type"]!.GetValue<string>() == "Microsoft.Web/sites/config" && BicepCli.Text(r["name"]).Contains("authsettingsV2", StringComparison.Ordinal));

        Assert.Equal("[not(empty(parameters('opsAppClientId')))]", auth["condition"]!.GetValue<string>());
        var properties = auth["properties"]!;
        Assert.True(properties["platform"]!["enabled"]!.GetValue<bool>());
        Assert.False(properties["globalValidation"]!["requireAuthentication"]!.GetValue<bool>());
        Assert.Equal("AllowAnonymous", properties["globalValidation"]!["unauthenticatedClientAction"]!.GetValue<string>());
        var entra = properties["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True(entra["enabled"]!.GetValue<bool>());
        Assert.Equal("[parameters('opsAppClientId')]", entra["registration"]!["clientId"]!.GetValue<string>());
        Assert.Contains("tenant().tenantId", entra["registration"]!["openIdIssuer"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(entra["registration"]!["clientSecretSettingName"]);
        Assert.Equal(["[parameters('opsAppClientId')]", "[format('api://{0}', parameters('opsAppClientId'))]"], entra["validation"]!["allowedAudiences"]!.AsArray().Select(a => a!.GetValue<string>()));
    }

    [Fact]
    public void The_app_requires_a_validated_principal_from_its_own_tenant()
    {
        var settings = TemplateSettingsByObject()["deploymentSettings"];

        Assert.Equal("'true'", settings["Operations__Identity__Required"]);
        Assert.Equal("tenant().tenantId", settings["Operations__Identity__TenantId"]);
    }
}
