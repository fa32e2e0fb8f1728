using System.Text.Json.Nodes;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Infra;

/// <summary>
/// Production alerts reach someone: main.prod.bicepparam cannot be built (and so not deployed) without at least one
/// receiver, Azure Resource Manager refuses a production deployment without one as well (the type travels in the
/// compiled template), and the receivers are the addresses the action group e-mails.
/// </summary>
public sealed class AlertReceiversTemplateTests
{
    private const string Variable = "INTEGRATION_ALERT_EMAILS";

    private static string ProdParams { get; } = Path.Combine(BicepFolder, "main.prod.bicepparam");

    private static string DevParams { get; } = Path.Combine(BicepFolder, "main.bicepparam");

    [Theory]
    [InlineData(null, "BCP427")]            // not set at all
    [InlineData("", "BCP333")]              // set, empty
    public void Production_parameters_do_not_build_without_an_alert_receiver(string? receivers, string diagnostic)
    {
        var (exitCode, parameters, diagnostics) = BicepCli.BuildParams(ProdParams, new Dictionary<string, string?> { [Variable] = receivers });

        Assert.NotEqual(0, exitCode);
        Assert.Null(parameters);
        Assert.Contains(diagnostic, diagnostics, StringComparison.Ordinal);
        Assert.Contains("main.prod.bicepparam", diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// What the build lets through (the Bicep checker cannot see the length of every entry) Azure Resource Manager
    /// refuses against the parameter's type in the compiled template: each entry at least 3 characters, at least one.
    /// </summary>
    [Theory]
    [InlineData(" , ,")]
    [InlineData("oncall@contoso.com,")]
    [InlineData(" ")]
    public void Production_receivers_of_blanks_are_refused_by_the_parameter_type(string receivers)
    {
        var (exitCode, parameters, _) = BicepCli.BuildParams(ProdParams, new Dictionary<string, string?> { [Variable] = receivers });
        var definitions = BicepCli.Build(Path.Combine(BicepFolder, "main.bicep"))["definitions"]!.AsObject();

        if (exitCode == 0)
        {
            var value = parameters!["alertReceivers"]!["value"]!.AsObject();
            var production = definitions["productionAlertReceivers"]!["properties"]!["emails"]!.AsObject();
            var item = definitions[Reference(production["items"]!.AsObject())]!.AsObject();
            var emails = value["emails"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
            Assert.True(
                emails.Count < production["minLength"]!.GetValue<int>() || emails.Any(e => e.Length < item["minLength"]!.GetValue<int>()),
                $"'{receivers}' builds to [{string.Join(", ", emails)}], which the template's type accepts.");
        }
    }

    [Fact]
    public void Production_parameters_carry_each_receiver()
    {
        var (exitCode, parameters, diagnostics) = BicepCli.BuildParams(ProdParams, new Dictionary<string, string?>
        {
            [Variable] = "oncall@contoso.com,team@contoso.com",
        });

        Assert.True(exitCode == 0, diagnostics);
        var receivers = parameters!["alertReceivers"]!["value"]!.AsObject();
        Assert.Equal("production", receivers["kind"]!.GetValue<string>());
        Assert.Equal(["oncall@contoso.com", "team@contoso.com"], receivers["emails"]!.AsArray().Select(e => e!.GetValue<string>()));
    }

    [Fact]
    public void Development_parameters_build_without_receivers()
    {
        var (exitCode, parameters, diagnostics) = BicepCli.BuildParams(DevParams, new Dictionary<string, string?> { [Variable] = null });

        Assert.True(exitCode == 0, diagnostics);
        Assert.Equal("development", parameters!["alertReceivers"]!["value"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void The_compiled_template_refuses_production_without_a_receiver_at_deployment_too()
    {
        var template = BicepCli.Build(Path.Combine(BicepFolder, "main.bicep"));
        var definitions = template["definitions"]!.AsObject();

        var parameter = template["parameters"]!["alertReceivers"]!.AsObject();
        Assert.False(parameter.ContainsKey("defaultValue"), "alertReceivers has a default: a deployment could leave it out.");
        var union = definitions[Reference(parameter)]!.AsObject();
        var mapping = union["discriminator"]!["mapping"]!.AsObject();
        Assert.Equal("kind", union["discriminator"]!["propertyName"]!.GetValue<string>());

        var production = definitions[Reference(mapping["production"]!.AsObject())]!["properties"]!["emails"]!.AsObject();
        Assert.Equal(1, production["minLength"]!.GetValue<int>());
        var development = definitions[Reference(mapping["development"]!.AsObject())]!["properties"]!["emails"]!.AsObject();
        Assert.False(development.ContainsKey("minLength"));
    }

    [Fact]
    public void The_action_group_e_mails_the_receivers_and_every_alert_notifies_it()
    {
        var template = BicepCli.Build(Path.Combine(BicepFolder, "main.bicep"));
        var alertsModule = template["resources"]!["alerts"]!["properties"]!.AsObject();

        Assert.Equal("[parameters('alertReceivers').emails]", alertsModule["parameters"]!["alertEmails"]!["value"]!.GetValue<string>());

        var alerts = BicepCli.ModuleTemplate(template, "alerts");
        var resources = BicepCli.Resources(alerts, "alerts").Select(r => r.Resource).ToList();
        var group = Assert.Single(resources, r => r["type"]!.GetValue<string>() == "Microsoft.Insights/actionGroups");
        var receivers = group["properties"]!["copy"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "emailReceivers")!;
        Assert.Equal("[length(parameters('alertEmails'))]", receivers["count"]!.GetValue<string>());
        Assert.Equal("[parameters('alertEmails')[copyIndex('emailReceivers')]]", receivers["input"]!["emailAddress"]!.GetValue<string>());

        var rules = resources.Where(r => r["type"]!.GetValue<string>() is "Microsoft.Insights/metricAlerts" or "Microsoft.Insights/scheduledQueryRules").ToList();
        Assert.NotEmpty(rules);
        Assert.All(rules, rule => Assert.Contains("Microsoft.Insights/actionGroups", BicepCli.Text(rule["properties"]!["actions"]), StringComparison.Ordinal));
    }

    private static string Reference(JsonObject node) => node["$ref"]!.GetValue<string>()["#/definitions/".Length..];
}
