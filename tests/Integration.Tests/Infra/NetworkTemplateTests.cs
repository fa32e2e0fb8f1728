using System.Text.Json.Nodes;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Infra;

/// <summary>
/// The production network option and the diagnostics, on the compiled template and the compiled production parameters:
/// with privateNetworking, storage, Key Vault and Service Bus take no public traffic and are reached through private
/// endpoints from the app's integrated subnet; storage, Service Bus, Key Vault and the app send diagnostics to Log Analytics.
/// </summary>
public sealed class NetworkTemplateTests
{
    private static JsonObject Main => BicepCli.Build(Path.Combine(BicepFolder, "main.bicep"));

    [Fact]
    public void Production_turns_private_networking_on_and_development_leaves_it_off()
    {
        var prod = BicepCli.BuildParams(Path.Combine(BicepFolder, "main.prod.bicepparam"), new Dictionary<string, string?> { ["INTEGRATION_ALERT_EMAILS"] = "oncall@contoso.com" });
        var dev = BicepCli.BuildParams(Path.Combine(BicepFolder, "main.bicepparam"), new Dictionary<string, string?>());

        Assert.True(prod.ExitCode == 0, prod.Diagnostics);
        Assert.True(prod.Parameters!["privateNetworking"]!["value"]!.GetValue<bool>());
        Assert.True(dev.ExitCode == 0, dev.Diagnostics);
        Assert.False(dev.Parameters!.ContainsKey("privateNetworking"));
        Assert.False(Main["parameters"]!["privateNetworking"]!["defaultValue"]!.GetValue<bool>());
    }

    [Fact]
    public void Private_networking_closes_the_public_endpoints_of_storage_Key_Vault_and_Service_Bus()
    {
        var storage = Single("storage", "Microsoft.Storage/storageAccounts");
        Assert.Equal("[if(parameters('privateNetworking'), 'Deny', 'Allow')]", storage["properties"]!["networkAcls"]!["defaultAction"]!.GetValue<string>());
        // Only trusted Azure services pass the closed endpoint (Event Grid dead-letters with its identity).
        Assert.Equal("AzureServices", storage["properties"]!["networkAcls"]!["bypass"]!.GetValue<string>());
        Assert.DoesNotContain(storage["properties"]!["networkAcls"]!.AsObject(), p => p.Key is "ipRules" or "virtualNetworkRules");

        var vault = Single("keyVault", "Microsoft.KeyVault/vaults");
        Assert.Equal("[if(and(parameters('privateNetworking'), empty(parameters('operatorIpRanges'))), 'Disabled', 'Enabled')]", vault["properties"]!["publicNetworkAccess"]!.GetValue<string>());
        Assert.Equal("[if(parameters('privateNetworking'), 'Deny', 'Allow')]", vault["properties"]!["networkAcls"]!["defaultAction"]!.GetValue<string>());
        Assert.Equal("[if(parameters('privateNetworking'), 'None', 'AzureServices')]", vault["properties"]!["networkAcls"]!["bypass"]!.GetValue<string>());

        var serviceBus = Single("serviceBus", "Microsoft.ServiceBus/namespaces");
        Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", serviceBus["properties"]!["publicNetworkAccess"]!.GetValue<string>());
        Assert.StartsWith("[if(parameters('privateNetworking'), createObject('name', 'Premium'", serviceBus["sku"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var module in new[] { "storage", "keyVault", "serviceBus" })
        {
            Assert.Equal("[parameters('privateNetworking')]", ModuleParameters(module)["privateNetworking"]!.GetValue<string>());
        }
    }

    [Fact]
    public void Private_networking_adds_private_endpoints_for_each_service_and_integrates_the_app()
    {
        Assert.Equal("[parameters('privateNetworking')]", Main["resources"]!["network"]!["condition"]!.GetValue<string>());
        var network = BicepCli.ModuleTemplate(Main, "network");

        var groupIds = network["variables"]!["endpoints"]!.AsArray().Select(e => e!["groupId"]!.GetValue<string>()).Order(StringComparer.Ordinal);
        Assert.Equal(["blob", "namespace", "queue", "table", "vault"], groupIds);
        var resources = BicepCli.Resources(network, "network").Select(r => r.Resource["type"]!.GetValue<string>()).ToList();
        Assert.Contains("Microsoft.Network/privateEndpoints", resources);
        Assert.Contains("Microsoft.Network/privateEndpoints/privateDnsZoneGroups", resources);
        Assert.Contains("Microsoft.Network/privateDnsZones/virtualNetworkLinks", resources);

        var subnets = Single("network", "Microsoft.Network/virtualNetworks")["properties"]!["subnets"]!.AsArray();
        Assert.Equal("Microsoft.App/environments", subnets[0]!["properties"]!["delegations"]![0]!["properties"]!["serviceName"]!.GetValue<string>());

        Assert.Equal(
            "[if(parameters('privateNetworking'), createObject('value', reference('network').outputs.appSubnetId.value), createObject('value', ''))]",
            ModuleParameters("functionApp")["appSubnetId"]!.GetValue<string>());
        var site = Single("functionApp", "Microsoft.Web/sites");
        Assert.Equal("[if(empty(parameters('appSubnetId')), null(), parameters('appSubnetId'))]", site["properties"]!["virtualNetworkSubnetId"]!.GetValue<string>());
        Assert.Equal("[not(empty(parameters('appSubnetId')))]", site["properties"]!["siteConfig"]!["vnetRouteAllEnabled"]!.GetValue<string>());
    }

    [Fact]
    public void Private_networking_takes_telemetry_and_logs_through_the_Azure_Monitor_private_link_scope_only()
    {
        foreach (var type in new[] { "Microsoft.OperationalInsights/workspaces", "Microsoft.Insights/components" })
        {
            var resource = Single("monitoring", type);
            Assert.Equal("[if(parameters('privateNetworking'), 'Disabled', 'Enabled')]", resource["properties"]!["publicNetworkAccessForIngestion"]!.GetValue<string>());
            Assert.Equal("Enabled", resource["properties"]!["publicNetworkAccessForQuery"]!.GetValue<string>());
        }

        Assert.Equal("[parameters('privateNetworking')]", ModuleParameters("monitoring")["privateNetworking"]!.GetValue<string>());
        var scope = Single("network", "Microsoft.Insights/privateLinkScopes");
        Assert.Equal("PrivateOnly", scope["properties"]!["accessModeSettings"]!["ingestionAccessMode"]!.GetValue<string>());
        var scoped = BicepCli.Resources(BicepCli.ModuleTemplate(Main, "network"), "network")
            .Where(r => r.Resource["type"]!.GetValue<string>() == "Microsoft.Insights/privateLinkScopes/scopedResources")
            .Select(r => r.Resource["properties"]!["linkedResourceId"]!.GetValue<string>())
            .Order(StringComparer.Ordinal);
        Assert.Equal(["[parameters('applicationInsightsId')]", "[parameters('logAnalyticsWorkspaceId')]"], scoped);
        var endpoint = BicepCli.Resources(BicepCli.ModuleTemplate(Main, "network"), "network")
            .Select(r => r.Resource)
            .Single(r => r["type"]!.GetValue<string>() == "Microsoft.Network/privateEndpoints" && r["copy"] is null);
        Assert.Equal("azuremonitor", endpoint["properties"]!["privateLinkServiceConnections"]![0]!["properties"]!["groupIds"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData("storage", "Microsoft.Storage/storageAccounts")]
    [InlineData("storage", "Microsoft.Storage/storageAccounts/blobServices")]
    [InlineData("storage", "Microsoft.Storage/storageAccounts/queueServices")]
    [InlineData("storage", "Microsoft.Storage/storageAccounts/tableServices")]
    [InlineData("serviceBus", "Microsoft.ServiceBus/namespaces")]
    [InlineData("keyVault", "Microsoft.KeyVault/vaults")]
    [InlineData("functionApp", "Microsoft.Web/sites")]
    public void Diagnostics_go_to_Log_Analytics(string module, string scopeType)
    {
        var settings = BicepCli.Resources(BicepCli.ModuleTemplate(Main, module), module)
            .Select(r => r.Resource)
            .Where(r => r["type"]!.GetValue<string>() == "Microsoft.Insights/diagnosticSettings"
                        && r["scope"]!.GetValue<string>().StartsWith($"[resourceId('{scopeType}', ", StringComparison.Ordinal))
            .ToList();

        var setting = Assert.Single(settings);
        Assert.Equal("[parameters('logAnalyticsWorkspaceId')]", setting["properties"]!["workspaceId"]!.GetValue<string>());
        var logs = setting["properties"]!["logs"]?.AsArray().Select(l => l!["categoryGroup"]?.GetValue<string>()).ToList() ?? [];
        var metrics = setting["properties"]!["metrics"]?.AsArray().Select(m => m!["category"]!.GetValue<string>()).ToList() ?? [];
        Assert.True(logs.Count + metrics.Count > 0, $"The diagnostic setting on {scopeType} sends nothing.");
        Assert.True(logs.All(l => l is "allLogs" or "audit"), $"Logs on {scopeType}: {string.Join(", ", logs)}");
        Assert.Equal("[reference('monitoring').outputs.logAnalyticsWorkspaceId.value]", ModuleParameters(module)["logAnalyticsWorkspaceId"]!.GetValue<string>());
    }

    private static JsonObject Single(string module, string type) =>
        BicepCli.Resources(BicepCli.ModuleTemplate(Main, module), module)
            .Single(r => string.Equals(r.Resource["type"]!.GetValue<string>(), type, StringComparison.OrdinalIgnoreCase)).Resource; // ARM types are case-insensitive

    private static JsonObject ModuleParameters(string module) =>
        new(Main["resources"]![module]!["properties"]!["parameters"]!.AsObject()
            .Select(p => KeyValuePair.Create(p.Key, p.Value is JsonObject wrapped ? wrapped["value"]?.DeepClone() : p.Value?.DeepClone())));
}
