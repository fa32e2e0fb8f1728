using System.Text.RegularExpressions;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Infra;

/// <summary>
/// The Bicep template sets every app setting the code reads, and no other: local.settings.sample.json, the template
/// (infra/bicep/modules/appSettings.bicep), its local-only list (infra/bicep/local-only-settings.json), the options
/// the core binds and the Functions bindings must all agree.
/// </summary>
public sealed partial class AppSettingsTemplateTests
{
    /// <summary>The objects of appSettings.bicep holding literal defaults (the others are built from resources and parameters).</summary>
    private static readonly string[] LiteralSettingObjects = ["tuningSettings", "tableSettings", "containerSettings"];

    [Fact]
    public void Every_sample_setting_is_set_by_the_template_or_listed_as_local_only()
    {
        var template = Template();
        var localOnly = LocalOnly();

        var missing = Sample().Where(name => !template.Contains(name) && !localOnly.Contains(name)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0,
            $"Set in local.settings.sample.json but neither set by infra/bicep/modules/appSettings.bicep nor listed (with a reason) in infra/bicep/local-only-settings.json: {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_setting_the_template_sets_is_in_the_sample_apart_from_identity_connection_parts()
    {
        var sample = Sample();
        var (_, connections) = FunctionsBindings();

        var unknown = Template()
            .Where(name => !sample.Contains(name) && !IsPlatformSetting(name) && !IsConnectionPart(name, connections))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(unknown.Count == 0,
            $"Set by infra/bicep/modules/appSettings.bicep but not in local.settings.sample.json (add it there with its default, or drop it from the template): {string.Join(", ", unknown)}");
    }

    [Fact]
    public void Every_option_the_code_binds_has_a_sample_setting()
    {
        var sample = Sample();
        var bound = BoundOptions();

        var missing = bound.Where(option => !sample.Contains(option.Key))
            .Select(option => $"{option.Key} ({option.Value})")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(bound);
        Assert.Contains("Fragment__RateLimit__MaxWait", bound.Keys);
        Assert.Contains("TokenRefreshSchedule", bound.Keys);
        Assert.True(missing.Count == 0,
            $"Bound by the code but not in local.settings.sample.json (add each with its default, then to infra/bicep/modules/appSettings.bicep or infra/bicep/local-only-settings.json): {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_options_class_declares_its_section()
    {
        var withoutSection = OptionsCandidates()
            .Where(type => type.GetField("SectionName", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is not { IsLiteral: true })
            .Select(type => type.FullName)
            .ToList();

        Assert.True(withoutSection.Count == 0,
            $"Options classes without a public const string SectionName (the settings tests cannot see what they bind): {string.Join(", ", withoutSection)}");
    }

    [Fact]
    public void Every_setting_and_connection_the_functions_read_is_set_by_the_template()
    {
        var template = Template();
        var (settings, connections) = FunctionsBindings();

        var missingSettings = settings.Where(name => !template.Contains(name)).Order(StringComparer.Ordinal).ToList();
        var missingConnections = connections
            .Where(connection => !template.Any(name => name.StartsWith($"{connection}__", StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Contains("TasksQueueName", settings);
        Assert.Contains("ServiceBusConnection", connections);
        Assert.True(missingSettings.Count == 0, $"Read by src/Functions but not set by the template: {string.Join(", ", missingSettings)}");
        Assert.True(missingConnections.Count == 0, $"Connections of src/Functions without identity settings in the template: {string.Join(", ", missingConnections)}");
    }

    [Fact]
    public void Connections_are_identity_based_through_the_app_identity()
    {
        var template = TemplateSettingsByObject().Values.SelectMany(o => o).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var (_, connections) = FunctionsBindings();

        foreach (var connection in connections)
        {
            Assert.Equal("'managedidentity'", template.GetValueOrDefault($"{connection}__credential"));
            Assert.Equal("identityClientId", template.GetValueOrDefault($"{connection}__clientId"));
        }

        Assert.Equal("identityClientId", template["Storage__ManagedIdentityClientId"]);
        Assert.Equal("identityClientId", template["KeyVault__ManagedIdentityClientId"]);
        Assert.Equal("'ClientId=${identityClientId};Authorization=AAD'", template["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void Local_only_settings_are_in_the_sample_and_never_set_by_the_template()
    {
        var sample = Sample();
        var template = Template();
        var localOnly = LocalOnly();

        var setAnyway = localOnly.Where(template.Contains).ToList();
        var stale = localOnly.Where(name => !sample.Contains(name)).ToList();

        Assert.Contains("FUNCTIONS_WORKER_RUNTIME", localOnly);
        Assert.True(setAnyway.Count == 0, $"Listed as local-only but set by the template: {string.Join(", ", setAnyway)}");
        Assert.True(stale.Count == 0, $"Listed as local-only but no longer in local.settings.sample.json: {string.Join(", ", stale)}");
    }

    [Fact]
    public void Every_table_and_container_the_code_names_is_created_by_the_template()
    {
        var objects = TemplateSettingsByObject();
        var created = objects["tableSettings"].Keys.Concat(objects["containerSettings"].Keys).ToHashSet(StringComparer.Ordinal);
        var localOnly = LocalOnly();

        var notCreated = Sample().Where(name => (name.EndsWith("Table", StringComparison.Ordinal) || name.EndsWith("Container", StringComparison.Ordinal))
                                                && !localOnly.Contains(name) && !created.Contains(name))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(notCreated.Count == 0,
            $"Tables or containers named by these settings are not in tableSettings/containerSettings of infra/bicep/modules/appSettings.bicep (which main.bicep creates): {string.Join(", ", notCreated)}");
    }

    [Fact]
    public void The_template_defaults_are_the_sample_defaults()
    {
        var sample = ReadSample();
        var objects = TemplateSettingsByObject();

        var differing = LiteralSettingObjects
            .SelectMany(name => objects[name])
            .Where(setting => sample.TryGetValue(setting.Key, out var value) && setting.Value != $"'{value}'")
            .Select(setting => $"{setting.Key}: template {setting.Value}, sample '{sample[setting.Key]}'")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(differing.Count == 0,
            $"Literal defaults in infra/bicep/modules/appSettings.bicep differ from local.settings.sample.json (override per environment with appSettingOverrides instead): {string.Join("; ", differing)}");
    }

    [Fact]
    public void The_template_holds_no_keys_connection_strings_or_local_authentication()
    {
        var sources = Directory.EnumerateFiles(BicepFolder, "*.bicep*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(BicepFolder, f), File.ReadAllText, StringComparer.Ordinal);

        foreach (var (file, text) in sources)
        {
            Assert.False(SecretAccess().IsMatch(text), $"{file} reads keys or builds a connection string: {SecretAccess().Match(text).Value}");
        }

        Assert.Contains("allowSharedKeyAccess: false", sources[Path.Combine("modules", "storage.bicep")], StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth: true", sources[Path.Combine("modules", "serviceBus.bicep")], StringComparison.Ordinal);
        Assert.Contains("DisableLocalAuth: true", sources[Path.Combine("modules", "monitoring.bicep")], StringComparison.Ordinal);
        Assert.Contains("enableRbacAuthorization: true", sources[Path.Combine("modules", "keyVault.bicep")], StringComparison.Ordinal);
        var connectionStrings = Template().Where(name => name.EndsWith("ConnectionString", StringComparison.Ordinal) && !IsPlatformSetting(name)).ToList();
        Assert.True(connectionStrings.Count == 0, $"Connection string settings in the template: {string.Join(", ", connectionStrings)}");
    }

    [GeneratedRegex(@"list(?:Keys|ConnectionStrings|AccountSas|ServiceSas|Secrets)\s*\(|AccountKey=|SharedAccessKey|DefaultEndpointsProtocol|InstrumentationKey", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretAccess();
}
