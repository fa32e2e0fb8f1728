using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Integration.Local.Tasks;
using Integration.Storage;
using Integration.Tests.Fixtures;
using Integration.Tokens;

namespace Integration.Tests.Infra;

/// <summary>
/// The app setting names as each source has them: local.settings.sample.json, the Bicep template
/// (infra/bicep/modules/appSettings.bicep), its documented local-only list, the options the core binds and the
/// bindings of the Functions app. Names are flat (<c>Section__Key</c>), as in app settings.
/// </summary>
internal static partial class AppSettingsSources
{
    public static string SampleFile { get; } = Path.Combine(RepositoryRoot.Path, "local.settings.sample.json");

    public static string AppSettingsTemplateFile { get; } = Path.Combine(RepositoryRoot.Path, "infra", "bicep", "modules", "appSettings.bicep");

    public static string LocalOnlyFile { get; } = Path.Combine(RepositoryRoot.Path, "infra", "bicep", "local-only-settings.json");

    public static string BicepFolder { get; } = Path.Combine(RepositoryRoot.Path, "infra", "bicep");

    public static string FunctionsFolder { get; } = Path.Combine(RepositoryRoot.Path, "src", "Functions");

    /// <summary>The host's own storage connection: not named in any trigger, always read by the Functions host.</summary>
    public const string HostStorageConnection = "AzureWebJobsStorage";

    /// <summary>The names under <c>Values</c> in local.settings.sample.json.</summary>
    public static IReadOnlySet<string> Sample() => ReadSample().Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>The names and default values under <c>Values</c> in local.settings.sample.json.</summary>
    public static IReadOnlyDictionary<string, string> ReadSample()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(SampleFile));
        return json.RootElement.GetProperty("Values").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
    }

    /// <summary>The names listed in infra/bicep/local-only-settings.json (each with its reason).</summary>
    public static IReadOnlySet<string> LocalOnly()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(LocalOnlyFile));
        return json.RootElement.GetProperty("settings").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Every app setting name the template sets: the keys of every <c>var …Settings = { … }</c> object literal in
    /// appSettings.bicep, by object (<c>connectionSettings</c>, <c>tableSettings</c>, …).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> TemplateSettingsByObject()
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        string? current = null;
        Dictionary<string, string>? entries = null;
        foreach (var line in File.ReadLines(AppSettingsTemplateFile))
        {
            if (current is null)
            {
                var start = SettingsObjectStart().Match(line);
                if (start.Success)
                {
                    (current, entries) = (start.Groups["name"].Value, new Dictionary<string, string>(StringComparer.Ordinal));
                }

                continue;
            }

            if (line.StartsWith('}'))
            {
                result.Add(current, entries!);
                (current, entries) = (null, null);
                continue;
            }

            var entry = SettingsObjectEntry().Match(line);
            if (entry.Success)
            {
                entries!.Add(entry.Groups["key"].Value, entry.Groups["value"].Value.Trim());
            }
            else if (!string.IsNullOrWhiteSpace(line) && !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{AppSettingsTemplateFile}: '{line.Trim()}' in var {current} is not a 'Name: value' line; keep the *Settings objects flat, one setting a line.");
            }
        }

        if (current is not null)
        {
            throw new InvalidOperationException($"{AppSettingsTemplateFile}: var {current} is not closed by a '}}' line.");
        }

        return result;
    }

    public static IReadOnlySet<string> Template() =>
        TemplateSettingsByObject().Values.SelectMany(o => o.Keys).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// The settings the code binds, one per public settable property of every options class in Integration.Core and
    /// Integration.Local (a class named <c>…Options</c> with a <c>SectionName</c> constant), inherited properties included, by the flat
    /// name that sets it, e.g. <c>Fragment__RateLimit__MaxWait</c>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> BoundOptions()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var type in OptionsTypes())
        {
            var section = (string)type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;
            AddProperties(type, section.Replace(":", "__", StringComparison.Ordinal), $"{type.Name}", result);
        }

        return result;
    }

    /// <summary>
    /// Properties bound from a flat setting instead of their section's key (the Functions scale controller does not
    /// resolve nested names in timer schedules): the section key, and the flat setting that sets it.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FlatSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [$"{TokensOptions.SectionName}__{nameof(TokensOptions.RefreshSchedule)}"] = TokensOptions.ScheduleSettingName,
    };

    /// <summary>Public, non-abstract, top-level classes of Integration.Core and Integration.Local named <c>…Options</c>.</summary>
    public static IEnumerable<Type> OptionsCandidates() =>
        new[] { typeof(StorageOptions).Assembly, typeof(LocalTaskQueueOptions).Assembly }.SelectMany(a => a.GetTypes())
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.Name.EndsWith("Options", StringComparison.Ordinal));

    private static IEnumerable<Type> OptionsTypes() =>
        OptionsCandidates().Where(t => t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true });

    private static void AddProperties(Type type, string prefix, string owner, Dictionary<string, string> result)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var name = $"{prefix}__{property.Name}";
            if (IsLeaf(property.PropertyType))
            {
                result[FlatSettings.GetValueOrDefault(name, name)] = $"{owner}.{property.Name}";
            }
            else
            {
                AddProperties(property.PropertyType, name, $"{owner}.{property.Name}", result);
            }
        }
    }

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(Uri) || type == typeof(decimal)
            || type == typeof(TimeSpan) || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid);
    }

    /// <summary>
    /// What the Functions app reads outside the options classes, from its source: <c>%Setting%</c> binding expressions
    /// and <c>Configuration["Setting"]</c> (exact names), and connection prefixes (<c>Connection = "…"</c>,
    /// <c>GetSection("…")</c>) that are set as <c>Prefix__…</c> in Azure.
    /// </summary>
    public static (IReadOnlySet<string> Settings, IReadOnlySet<string> Connections) FunctionsBindings()
    {
        var settings = new HashSet<string>(StringComparer.Ordinal);
        var connections = new HashSet<string>(StringComparer.Ordinal) { HostStorageConnection };
        foreach (var file in Directory.EnumerateFiles(FunctionsFolder, "*.cs", SearchOption.AllDirectories)
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            var source = File.ReadAllText(file);
            settings.UnionWith(BindingExpression().Matches(source).Select(m => m.Groups["name"].Value.Replace(":", "__", StringComparison.Ordinal)));
            settings.UnionWith(ConfigurationIndexer().Matches(source).Select(m => m.Groups["name"].Value.Replace(":", "__", StringComparison.Ordinal)));
            connections.UnionWith(ConnectionProperty().Matches(source).Select(m => m.Groups["name"].Value));
            connections.UnionWith(ConfigurationSection().Matches(source).Select(m => m.Groups["name"].Value));
        }

        return (settings, connections);
    }

    /// <summary>Identity-based connection parts the platform reads under a connection prefix (not in the options classes).</summary>
    public static bool IsConnectionPart(string name, IEnumerable<string> connections) =>
        connections.Any(c => name.StartsWith($"{c}__", StringComparison.Ordinal))
        && ConnectionPartSuffix().IsMatch(name);

    /// <summary>Application Insights settings read by the Functions host, not by the code.</summary>
    public static bool IsPlatformSetting(string name) => name.StartsWith("APPLICATIONINSIGHTS_", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?:@export\(\)\s*)?var\s+(?<name>\w+Settings)\s*=\s*\{\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingsObjectStart();

    [GeneratedRegex(@"^\s+(?:(?<key>[A-Za-z_][A-Za-z0-9_]*)|'(?<key>[A-Za-z_][A-Za-z0-9_.]*)')\s*:\s*(?<value>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingsObjectEntry();

    [GeneratedRegex(@"""[^""]*%(?<name>[A-Za-z0-9_:]+)%[^""]*""", RegexOptions.CultureInvariant)]
    private static partial Regex BindingExpression();

    [GeneratedRegex(@"Configuration\[\s*""(?<name>[^""]+)""\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigurationIndexer();

    [GeneratedRegex(@"\bConnection\s*=\s*""(?<name>[^""]+)""", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionProperty();

    [GeneratedRegex(@"Configuration\.GetSection\(\s*""(?<name>[^""]+)""\s*\)", RegexOptions.CultureInvariant)]
    private static partial Regex ConfigurationSection();

    [GeneratedRegex("__(?:credential|clientId|accountName|serviceUri|blobServiceUri|queueServiceUri|tableServiceUri|fullyQualifiedNamespace)$", RegexOptions.CultureInvariant)]
    private static partial Regex ConnectionPartSuffix();
}
