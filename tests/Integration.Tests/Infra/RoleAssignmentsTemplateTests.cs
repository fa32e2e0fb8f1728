using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Infra;

/// <summary>
/// Least privilege, checked on the compiled template (what Azure Resource Manager receives): every role assignment is
/// one of the list below, on exactly that kind of scope, and justified in infra/bicep/README.md. A broader role (Owner,
/// Contributor, Blob Data Owner, Secrets Officer on the vault for the app, …) or a broader scope (the account instead
/// of a container or table, the vault instead of a secret) fails here. The code package is out of the app identity's
/// reach.
/// </summary>
public sealed partial class RoleAssignmentsTemplateTests
{
    /// <summary>Built-in roles by id (the same in every tenant).</summary>
    private static readonly Dictionary<string, string> BuiltInRoles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"] = "Storage Blob Data Reader",
        ["ba92f5b4-2d11-453d-a403-e96b0029c9fe"] = "Storage Blob Data Contributor",
        ["b7e6dc6d-f1e8-4753-8033-0f276bb0955b"] = "Storage Blob Data Owner",
        ["974c5e8b-45b9-4653-ba55-5f855dd0fb88"] = "Storage Queue Data Contributor",
        ["0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"] = "Storage Table Data Contributor",
        ["4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0"] = "Azure Service Bus Data Receiver",
        ["69a216fc-b8fb-44d8-bc22-1f3c2cd27a39"] = "Azure Service Bus Data Sender",
        ["090c5cfd-751d-490a-894a-3ce6f1109419"] = "Azure Service Bus Data Owner",
        ["4633458b-17de-408a-b874-0445c86b69e6"] = "Key Vault Secrets User",
        ["b86a8fe4-44ce-4948-aee5-eccb2c155cd7"] = "Key Vault Secrets Officer",
        ["00482a5a-887f-4fb3-b363-3b7fe8e74483"] = "Key Vault Administrator",
        ["3913510d-42f4-4e42-8a64-420c390055eb"] = "Monitoring Metrics Publisher",
        ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"] = "Owner",
        ["b24988ac-6180-42a0-ab88-20f7382dd24c"] = "Contributor",
        ["17d1049b-9a84-46fb-8f53-869881c3d3ab"] = "Storage Account Contributor",
    };

    /// <summary>
    /// Every assignment the template may make: who (the module parameter holding the principal), which role, on what
    /// kind of resource, named by which parameter (<c>[]</c>: one assignment per name in that list), and how
    /// infra/bicep/README.md's table names the scope.
    /// </summary>
    private static readonly Assignment[] Allowed =
    [
        new("appPrincipalId", "Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/blobServices/containers", "readContainerNames[]", "container `imports`"),
        new("appPrincipalId", "Storage Blob Data Contributor", "Microsoft.Storage/storageAccounts/blobServices/containers", "writeContainerNames[]", "containers `azure-webjobs-hosts`, `azure-webjobs-secrets`, `import-results`, `locks`, `deadletter-archive`"),
        new("appPrincipalId", "Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts", "storageAccountName", "storage account (queues only)"),
        new("appPrincipalId", "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts/tableServices/tables", "tableNames[]", "each of the five tables"),
        new("appPrincipalId", "Azure Service Bus Data Receiver", "Microsoft.ServiceBus/namespaces/queues", "tasksQueueName", "task queue"),
        new("appPrincipalId", "Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces/queues", "tasksQueueName", "task queue"),
        new("appPrincipalId", "Key Vault Secrets Officer", "Microsoft.KeyVault/vaults/secrets", "readWriteSecretNames[]", "secrets `dragonfruit-refresh-token`, `dragonfruit-id-token`, `dragonfruit-access-token`"),
        new("appPrincipalId", "Key Vault Secrets User", "Microsoft.KeyVault/vaults/secrets", "readSecretNames[]", "secret `fragment-api-token`"),
        new("appPrincipalId", "Monitoring Metrics Publisher", "Microsoft.Insights/components", "applicationInsightsName", "Application Insights"),
        new("deploymentPrincipalId", "Storage Blob Data Contributor", "Microsoft.Storage/storageAccounts/blobServices/containers", "deploymentContainerName", "container `app-package-…`"),
        new("eventGridPrincipalId", "Storage Blob Data Contributor", "Microsoft.Storage/storageAccounts/blobServices/containers", "eventGridDeadLetterContainerName", "container `import-events-deadletter`"),
        new("operatorPrincipalId", "Key Vault Secrets Officer", "Microsoft.KeyVault/vaults", "keyVaultName", "vault"),
    ];

    private static JsonObject Main => BicepCli.Build(Path.Combine(BicepFolder, "main.bicep"));

    [Fact]
    public void Every_role_assignment_is_an_allowed_role_on_an_allowed_scope_and_each_allowed_one_is_made()
    {
        var actual = Assignments().ToList();

        var unexpected = actual.Where(a => !Allowed.Any(a.SameGrant)).Select(a => a.ToString()).ToList();
        var missing = Allowed.Where(a => !actual.Any(a.SameGrant)).Select(a => a.ToString()).ToList();

        Assert.True(unexpected.Count == 0,
            $"Role assignments broader than, or other than, the justified ones (narrow them, or justify them in infra/bicep/README.md and add them here): {string.Join("; ", unexpected)}");
        Assert.True(missing.Count == 0, $"Justified role assignments the template no longer makes: {string.Join("; ", missing)}");
        Assert.Equal(Allowed.Length, actual.Count);
    }

    [Fact]
    public void Role_assignments_are_made_only_by_the_roleAssignments_module()
    {
        var elsewhere = BicepCli.Resources(Main)
            .Where(r => r.Resource["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments" && r.Module != "roleAssignments")
            .Select(r => r.Module)
            .ToList();

        Assert.True(elsewhere.Count == 0, $"Role assignments outside modules/roleAssignments.bicep (in {string.Join(", ", elsewhere)}): the tests and the README's table would not see them.");
    }

    [Fact]
    public void The_app_reads_the_drop_container_and_writes_only_the_host_results_lock_and_archive_containers()
    {
        var parameters = ModuleParameters("roleAssignments");

        Assert.Equal(["[variables('containerSettings').Imports__Container]"], Strings(parameters["readContainerNames"]));
        Assert.Equal(
            "[concat(variables('hostContainerNames'), createArray(variables('containerSettings').Imports__ResultsContainer, variables('containerSettings').Tokens__LockContainer, variables('containerSettings').Operations__ArchiveContainer))]",
            BicepCli.Text(parameters["writeContainerNames"]));
        Assert.Equal(["azure-webjobs-hosts", "azure-webjobs-secrets"], Strings(Main["variables"]!["hostContainerNames"]));

        var appScopes = string.Join(" ", parameters.Where(p => p.Key is "readContainerNames" or "writeContainerNames" or "tableNames").Select(p => BicepCli.Text(p.Value)));
        Assert.DoesNotContain("deploymentContainerName", appScopes, StringComparison.Ordinal);
        Assert.DoesNotContain("eventGridDeadLetterContainerName", appScopes, StringComparison.Ordinal);
        Assert.Equal("[map(items(variables('tableSettings')), lambda('t', lambdaVariables('t').value))]", BicepCli.Text(parameters["tableNames"]));
    }

    [Fact]
    public void The_app_writes_the_three_Dragonfruit_secrets_and_only_reads_the_Fragment_token()
    {
        var parameters = ModuleParameters("roleAssignments");

        Assert.Equal(
            ["[parameters('dragonfruitRefreshTokenSecretName')]", "[parameters('dragonfruitIdTokenSecretName')]", "[parameters('dragonfruitAccessTokenSecretName')]"],
            Strings(parameters["readWriteSecretNames"]));
        Assert.Equal(["[parameters('fragmentApiTokenSecretName')]"], Strings(parameters["readSecretNames"]));
    }

    [Fact]
    public void The_code_package_is_read_with_a_deployment_identity_the_app_identity_is_not()
    {
        var parameters = ModuleParameters("roleAssignments");
        Assert.Equal("[reference('identity').outputs.principalId.value]", BicepCli.Text(parameters["appPrincipalId"]));
        Assert.Equal("[reference('deploymentIdentity').outputs.principalId.value]", BicepCli.Text(parameters["deploymentPrincipalId"]));

        var functionApp = ModuleParameters("functionApp");
        Assert.Equal("[reference('deploymentIdentity').outputs.resourceId.value]", BicepCli.Text(functionApp["deploymentIdentityResourceId"]));
        var site = BicepCli.Resources(BicepCli.ModuleTemplate(Main, "functionApp"), "functionApp")
            .Single(r => r.Resource["type"]!.GetValue<string>() == "Microsoft.Web/sites").Resource;
        var authentication = site["properties"]!["functionAppConfig"]!["deployment"]!["storage"]!["authentication"]!;
        Assert.Equal("[parameters('deploymentIdentityResourceId')]", authentication["userAssignedIdentityResourceId"]!.GetValue<string>());

        // Only the deployment identity holds a role whose scope is the package container.
        var onPackage = Assignments().Where(a => a.ScopeName == "deploymentContainerName").ToList();
        Assert.Equal("deploymentPrincipalId", Assert.Single(onPackage).Principal);
    }

    [Fact]
    public void Each_role_assignment_is_justified_in_the_infra_README()
    {
        var readme = File.ReadAllLines(Path.Combine(BicepFolder, "README.md"));

        foreach (var assignment in Allowed)
        {
            Assert.True(
                readme.Any(line => line.StartsWith($"| {assignment.Role} ", StringComparison.Ordinal) && line.Contains(assignment.ReadmeScope, StringComparison.Ordinal) && line.Count(c => c == '|') >= 4),
                $"infra/bicep/README.md has no row '| {assignment.Role} | … {assignment.ReadmeScope} … | why |'.");
        }
    }

    /// <summary>The role assignments of the compiled roleAssignments module, resolved to role names and scope kinds.</summary>
    private static IEnumerable<Assignment> Assignments()
    {
        var module = BicepCli.ModuleTemplate(Main, "roleAssignments");
        var roleIds = module["variables"]!["roleIds"]!.AsObject();
        foreach (var (_, resource) in BicepCli.Resources(module, "roleAssignments").Where(r => r.Resource["type"]!.GetValue<string>() == "Microsoft.Authorization/roleAssignments"))
        {
            var roleExpression = resource["properties"]!["roleDefinitionId"]!.GetValue<string>();
            var roleKey = RoleReference().Match(roleExpression);
            Assert.True(roleKey.Success, $"Role definition '{roleExpression}' is not subscriptionResourceId(…, variables('roleIds').NAME).");
            var roleId = roleIds[roleKey.Groups["key"].Value]!.GetValue<string>();
            Assert.True(BuiltInRoles.TryGetValue(roleId, out var role), $"Role {roleId} is not a known built-in role.");

            var scopeExpression = resource["scope"]!.GetValue<string>();
            var scope = ScopeReference().Match(scopeExpression);
            Assert.True(scope.Success, $"Scope '{scopeExpression}' is not resourceId('TYPE', …, parameters('NAME')[copyIndex()]).");

            var principal = PrincipalReference().Match(resource["properties"]!["principalId"]!.GetValue<string>());
            Assert.True(principal.Success, $"principalId of {roleKey.Groups["key"].Value} is not a parameter.");

            yield return new Assignment(
                principal.Groups["name"].Value,
                role,
                scope.Groups["type"].Value,
                scope.Groups["name"].Value + (scope.Groups["each"].Success ? "[]" : ""),
                "");
        }
    }

    private static JsonObject ModuleParameters(string module) =>
        new(Main["resources"]![module]!["properties"]!["parameters"]!.AsObject()
            .Select(p => KeyValuePair.Create(p.Key, p.Value is JsonObject wrapped ? wrapped["value"]?.DeepClone() : p.Value?.DeepClone())));

    private static List<string> Strings(JsonNode? node) => node!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private sealed record Assignment(string Principal, string Role, string ScopeType, string ScopeName, string ReadmeScope)
    {
        public bool SameGrant(Assignment other) =>
            Principal == other.Principal && Role == other.Role && ScopeType == other.ScopeType && ScopeName == other.ScopeName;

        public override string ToString() => $"{Role} for {Principal} on {ScopeType} {ScopeName}";
    }

    [GeneratedRegex(@"^\[subscriptionResourceId\('Microsoft\.Authorization/roleDefinitions', variables\('roleIds'\)\.(?<key>\w+)\)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleReference();

    [GeneratedRegex(@"^\[resourceId\('(?<type>[\w./]+)'(?:, [^,]+)*?, parameters\('(?<name>\w+)'\)(?<each>\[copyIndex\(\)\])?\)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex ScopeReference();

    [GeneratedRegex(@"^\[parameters\('(?<name>\w+)'\)\]$", RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalReference();
}
