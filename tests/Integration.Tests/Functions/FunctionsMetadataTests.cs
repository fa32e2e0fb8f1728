using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Integration.Tests.Infra.AppSettingsSources;

namespace Integration.Tests.Functions;

/// <summary>
/// The functions.metadata the Worker SDK generated for src/Functions (what the Functions host indexes): every function,
/// its trigger and bindings, and every app setting those bindings name, present in local.settings.sample.json and in
/// the app settings infra/bicep deploys.
/// </summary>
public sealed partial class FunctionsMetadataTests
{
    private static readonly string[] ServiceBusTriggered = ["UpsertTask", "UpsertTaskBatch"];

    /// <summary>Per function: its class method, then the trigger binding's members as the generator writes them.</summary>
    private static readonly Dictionary<string, (string EntryPoint, Dictionary<string, object> Trigger)> Expected = new(StringComparer.Ordinal)
    {
        ["RefreshDragonfruitTokens"] = ("Integration.Functions.Tokens.RefreshDragonfruitTokensFunction.Run",
            new() { ["type"] = "timerTrigger", ["name"] = "timer", ["schedule"] = "%TokenRefreshSchedule%" }),
        ["PruneOperationsTables"] = ("Integration.Functions.Operations.PruneOperationsTablesFunction.Run",
            new() { ["type"] = "timerTrigger", ["name"] = "timer", ["schedule"] = "%OpsRetentionSchedule%" }),
        ["ReconcileImports"] = ("Integration.Functions.Imports.ReconcileImportsFunction.Run",
            new() { ["type"] = "timerTrigger", ["name"] = "timer", ["schedule"] = "%ImportReconcileSchedule%" }),
        ["ImportCsv"] = ("Integration.Functions.Imports.ImportCsvFunction.Run",
            new() { ["type"] = "blobTrigger", ["name"] = "blob", ["path"] = "%Imports:Container%/{name}", ["source"] = "EventGrid", ["connection"] = "ImportsStorage" }),
        ["ListDeadLetters"] = Http("DeadLetterOpsFunctions.List", "get", "ops/deadletters"),
        ["GroupDeadLetters"] = Http("DeadLetterOpsFunctions.Groups", "get", "ops/deadletters/groups"),
        ["RedriveDeadLetters"] = Http("DeadLetterOpsFunctions.Redrive", "post", "ops/deadletters/redrive"),
        ["DiscardDeadLetters"] = Http("DeadLetterOpsFunctions.Discard", "post", "ops/deadletters/discard"),
        ["ListImports"] = Http("ImportOpsFunctions.List", "get", "ops/imports"),
        ["ReimportBlob"] = Http("ImportOpsFunctions.Reimport", "post", "ops/imports/reimport"),
        ["ResetTask"] = Http("TaskOpsFunctions.Reset", "post", "ops/tasks/{uid}/reset"),
        ["ResolveImport"] = Http("ImportOpsFunctions.Resolve", "post", "ops/imports/resolve"),
        ["ListRequests"] = Http("TaskOpsFunctions.Requests", "get", "ops/requests"),
        ["ResyncTasks"] = Http("TaskOpsFunctions.Resync", "post", "ops/resync"),
        ["OpsConsole"] = Http("OpsConsoleFunction.Run", "get", "ops/console"),
        ["TokenStatus"] = Http("ConsoleOpsFunctions.Tokens", "get", "ops/tokens"),
        ["RequestMinutes"] = Http("ConsoleOpsFunctions.Minutes", "get", "ops/requests/minutes"),
        ["ImportReport"] = Http("ConsoleOpsFunctions.Report", "get", "ops/imports/report"),
        ["ListArchivedDeadLetters"] = Http("ConsoleOpsFunctions.Archived", "get", "ops/deadletters/archived"),
        ["RestoreArchivedDeadLetters"] = Http("ConsoleOpsFunctions.Restore", "post", "ops/deadletters/archived/restore"),
        ["UpsertTask"] = ("Integration.Functions.Tasks.UpsertTaskFunction.Run",
            new() { ["type"] = "serviceBusTrigger", ["name"] = "message", ["queueName"] = "%TasksQueueName%", ["connection"] = "ServiceBusConnection", ["autoCompleteMessages"] = false }),
        ["UpsertTaskBatch"] = ("Integration.Functions.Tasks.UpsertTaskBatchFunction.Run",
            new() { ["type"] = "serviceBusTrigger", ["name"] = "messages", ["queueName"] = "%TasksQueueName%", ["connection"] = "ServiceBusConnection", ["autoCompleteMessages"] = false, ["cardinality"] = "Many" }),
    };

    private static (string, Dictionary<string, object>) Http(string method, string verb, string route) =>
        ($"Integration.Functions.Operations.{method}",
         new() { ["type"] = "httpTrigger", ["name"] = "request", ["authLevel"] = "Function", ["methods"] = new[] { verb }, ["route"] = route });

    private static JsonArray Metadata() => JsonNode.Parse(File.ReadAllText(BuiltFunctionApp.MetadataFile))!.AsArray();

    private static JsonObject Function(string name) =>
        Metadata().Select(f => f!.AsObject()).SingleOrDefault(f => (string?)f["name"] == name)
        ?? throw new Xunit.Sdk.XunitException($"{name} is not in {BuiltFunctionApp.MetadataFile}");

    [Fact]
    public void The_metadata_lists_every_function_and_only_the_service_bus_triggers_may_be_left_out_together()
    {
        var names = Metadata().Select(f => (string)f!["name"]!).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        var present = ServiceBusTriggered.Where(names.Contains).ToList();
        Assert.True(present.Count is 0 || present.Count == ServiceBusTriggered.Length,
            $"Either both Service Bus triggers are built (ExcludeServiceBusTriggers=false) or neither; found only {string.Join(", ", present)}.");
        var expected = Expected.Keys.Where(name => present.Count > 0 || !ServiceBusTriggered.Contains(name)).Order(StringComparer.Ordinal);
        Assert.Equal(expected, names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_function_has_its_trigger_entry_point_and_settings_as_declared()
    {
        foreach (var function in Metadata().Select(f => f!.AsObject()))
        {
            var name = (string)function["name"]!;
            var (entryPoint, trigger) = Expected[name];
            Assert.Equal("Integration.Functions.dll", (string?)function["scriptFile"]);
            Assert.Equal(entryPoint, (string?)function["entryPoint"]);
            Assert.Equal("dotnet-isolated", (string?)function["language"]);

            var bindings = function["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            var triggers = bindings.Where(b => ((string)b["type"]!).EndsWith("Trigger", StringComparison.Ordinal)).ToList();
            var actual = Assert.Single(triggers);
            Assert.Equal("In", (string?)actual["direction"]);
            foreach (var (key, value) in trigger)
            {
                Assert.True(actual.ContainsKey(key), $"{name}: the trigger binding has no '{key}': {actual.ToJsonString()}");
                JsonNode? expected = value is string[] items ? new JsonArray([.. items.Select(i => (JsonNode?)i)]) : JsonValue.Create(value);
                Assert.True(JsonNode.DeepEquals(expected, actual[key]), $"{name}: trigger '{key}' is {actual[key]?.ToJsonString()}, expected {expected?.ToJsonString()}");
            }

            // The HTTP functions answer through their return value; nothing else is bound.
            var others = bindings.Where(b => b != actual).Select(b => $"{b["name"]}:{b["type"]}:{b["direction"]}").ToList();
            Assert.Equal((string)trigger["type"] == "httpTrigger" ? ["$return:http:Out"] : Array.Empty<string>(), others);
        }
    }

    [Fact]
    public void The_blob_trigger_binds_a_blob_client_over_event_grid_and_defers_binding_to_the_worker()
    {
        var trigger = Function("ImportCsv")["bindings"]!.AsArray().Single()!.AsObject();

        Assert.Equal("EventGrid", (string?)trigger["source"]);
        Assert.Equal("True", (string?)trigger["properties"]?["supportsDeferredBinding"]);
    }

    [Fact]
    public void Every_setting_a_binding_names_has_a_value_in_the_sample_and_in_the_deployed_app_settings()
    {
        var sample = ReadSample();
        var template = Template();
        var (settings, connections) = NamedByBindings();

        Assert.Contains("TokenRefreshSchedule", settings);
        Assert.Contains("Imports__Container", settings);
        Assert.Contains("ImportsStorage", connections);
        foreach (var setting in settings)
        {
            Assert.True(sample.TryGetValue(setting, out var value) && value.Length > 0, $"{setting} (a binding expression) has no value in local.settings.sample.json");
            Assert.True(template.Contains(setting), $"{setting} (a binding expression) is not set by infra/bicep/modules/appSettings.bicep");
        }

        foreach (var connection in connections)
        {
            Assert.True(sample.Any(s => (s.Key == connection || s.Key.StartsWith($"{connection}__", StringComparison.Ordinal)) && s.Value.Length > 0),
                $"The connection {connection} has no value in local.settings.sample.json ({connection} or {connection}__…)");
            var identityParts = template.Where(name => name.StartsWith($"{connection}__", StringComparison.Ordinal)).ToList();
            Assert.True(identityParts.Any(name => IsConnectionPart(name, [connection]) && !name.EndsWith("__credential", StringComparison.Ordinal) && !name.EndsWith("__clientId", StringComparison.Ordinal)),
                $"The connection {connection} has no service endpoint (…__blobServiceUri, …__fullyQualifiedNamespace) in infra/bicep/modules/appSettings.bicep: {string.Join(", ", identityParts)}");
            Assert.Contains($"{connection}__credential", identityParts);
            Assert.Contains($"{connection}__clientId", identityParts);
        }
    }

    [Fact]
    public void The_settings_the_bindings_name_are_the_ones_the_source_scan_finds()
    {
        var (fromMetadata, connectionsFromMetadata) = NamedByBindings();
        var (fromSource, connectionsFromSource) = FunctionsBindings();
        var built = Metadata().Any(f => (string?)f!["name"] == "UpsertTask");

        // The source scan also sees the Service Bus triggers and the code's own Configuration reads.
        Assert.Subset(fromSource.ToHashSet(), fromMetadata.ToHashSet());
        Assert.Subset(connectionsFromSource.ToHashSet(), connectionsFromMetadata.ToHashSet());
        if (built)
        {
            Assert.Contains("TasksQueueName", fromMetadata);
            Assert.Contains("ServiceBusConnection", connectionsFromMetadata);
        }
    }

    /// <summary>The %setting% names (flat, <c>Section__Key</c>) and connection names in every binding of the metadata.</summary>
    private static (IReadOnlySet<string> Settings, IReadOnlySet<string> Connections) NamedByBindings()
    {
        var settings = new HashSet<string>(StringComparer.Ordinal);
        var connections = new HashSet<string>(StringComparer.Ordinal);
        foreach (var binding in Metadata().SelectMany(f => f!["bindings"]!.AsArray()).Select(b => b!.AsObject()))
        {
            foreach (var (key, value) in binding)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    settings.UnionWith(SettingExpression().Matches(text).Select(m => m.Groups["name"].Value.Replace(":", "__", StringComparison.Ordinal)));
                    if (key == "connection")
                    {
                        connections.Add(text);
                    }
                }
            }
        }

        return (settings, connections);
    }

    [GeneratedRegex("%(?<name>[A-Za-z0-9_:.]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingExpression();
}
