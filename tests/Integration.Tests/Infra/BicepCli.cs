using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Infra;

/// <summary>
/// The real Bicep CLI, restored from NuGet as CI does (<c>infra/bicep/tools/BicepCli.proj</c>, see <c>.ci/run</c>):
/// compiles a template or a parameter file to the JSON Azure Resource Manager receives, so the infra tests check what
/// gets deployed, not the source text. <c>BICEP_PATH</c> points at another binary.
/// </summary>
internal static class BicepCli
{
    private const string Version = "0.49.2";

    private static readonly Lazy<string> Executable = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    private static readonly ConcurrentDictionary<string, Lazy<JsonObject>> Templates = new(StringComparer.Ordinal);

    /// <summary>The compiled ARM template of <paramref name="bicepFile"/> (compiled once per test run).</summary>
    public static JsonObject Build(string bicepFile) =>
        Templates.GetOrAdd(Path.GetFullPath(bicepFile), file => new Lazy<JsonObject>(() =>
        {
            var result = Run(["build", file, "--stdout"], environment: null);
            Assert.True(result.ExitCode == 0, $"bicep build {file} failed:\n{result.Error}");
            return JsonNode.Parse(result.Output)!.AsObject();
        })).Value;

    /// <summary>
    /// <c>bicep build-params</c> of <paramref name="paramFile"/> with the given environment variables (a null value
    /// removes one): the exit code, the parameter values on success, and the diagnostics.
    /// </summary>
    public static (int ExitCode, JsonObject? Parameters, string Diagnostics) BuildParams(string paramFile, IReadOnlyDictionary<string, string?> environment)
    {
        var result = Run(["build-params", paramFile, "--stdout"], environment);
        if (result.ExitCode != 0)
        {
            return (result.ExitCode, null, result.Error);
        }

        var envelope = JsonNode.Parse(result.Output)!.AsObject();
        var parameters = JsonNode.Parse(envelope["parametersJson"]!.GetValue<string>())!["parameters"]!.AsObject();
        return (0, parameters, result.Error);
    }

    private static (int ExitCode, string Output, string Error) Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        var start = new ProcessStartInfo(Executable.Value)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"bicep {string.Join(' ', arguments)} did not finish in 2 minutes.");
        return (process.ExitCode, output.Result, error.Result);
    }

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("BICEP_PATH") is { Length: > 0 } configured)
        {
            return configured;
        }

        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var binary = Path.Combine(packages, "azure.bicep.commandline.linux-x64", Version, "tools", "bicep");
        if (!File.Exists(binary))
        {
            var restore = Process.Start(new ProcessStartInfo("dotnet", ["restore", Path.Combine(RepositoryRoot.Path, "infra", "bicep", "tools", "BicepCli.proj"), "-nologo", "-v:q"])
            {
                UseShellExecute = false,
            })!;
            Assert.True(restore.WaitForExit(TimeSpan.FromMinutes(5)) && restore.ExitCode == 0, "dotnet restore infra/bicep/tools/BicepCli.proj failed (the Bicep CLI comes from NuGet).");
        }

        Assert.True(File.Exists(binary), $"The Bicep CLI is not at {binary} after restoring infra/bicep/tools/BicepCli.proj.");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(binary, File.GetUnixFileMode(binary) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return binary;
    }

    /// <summary>
    /// Every resource of a compiled template with the module it is in ("main" for main.bicep's own), nested module
    /// templates included (languageVersion 1.0 arrays and 2.0 objects).
    /// </summary>
    public static IEnumerable<(string Module, JsonObject Resource)> Resources(JsonObject template, string module = "main")
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => (Name: (string?)null, Resource: r!.AsObject())),
            JsonObject map => map.Select(p => (Name: (string?)p.Key, Resource: p.Value!.AsObject())),
            _ => [],
        };
        foreach (var (name, resource) in resources)
        {
            yield return (module, resource);
            if (resource["type"]?.GetValue<string>() == "Microsoft.Resources/deployments"
                && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in Resources(nested, name ?? ModuleName(resource)))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The nested template of main.bicep's module <paramref name="module"/> (e.g. roleAssignments).</summary>
    public static JsonObject ModuleTemplate(JsonObject template, string module)
    {
        var map = template["resources"]!.AsObject();
        Assert.True(map.ContainsKey(module), $"main.bicep has no module {module}.");
        return map[module]!["properties"]!["template"]!.AsObject();
    }

    /// <summary>A nested module's name from its deployment name (<c>format('{0}-name', …)</c>).</summary>
    private static string ModuleName(JsonObject deployment)
    {
        var name = deployment["name"]!.GetValue<string>();
        var match = System.Text.RegularExpressions.Regex.Match(name, @"'\{0\}-(?<name>[\w-]+)'");
        return match.Success ? match.Groups["name"].Value : name;
    }

    public static string Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "";
}
