using System.Text.RegularExpressions;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Operations.Identity;

/// <summary>
/// The ops HTTP functions (src/Functions/Operations) only bind a route and hand the call to the core's ops API, which
/// checks identity, role and forgery before anything else (<see cref="OpsApiTests"/>): each keeps the function key as
/// a first gate, hands over exactly its own route, and reads no principal header itself.
/// </summary>
public sealed partial class OpsFunctionsIdentityTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "src", "Functions", "Operations");

    /// <summary>Every ops function as (name, method, route under ops/, path handed to the API), from the sources.</summary>
    public static IReadOnlyList<(string Name, string Method, string Route, string Path)> Functions() =>
    [
        .. Directory.EnumerateFiles(Folder, "*.cs")
            .SelectMany(file => FunctionBlock().Matches(File.ReadAllText(file)))
            .Where(m => m.Groups["route"].Value.StartsWith("ops/", StringComparison.Ordinal))
            .Select(m =>
            {
                Assert.True(m.Groups["level"].Value == "Function", $"{m.Groups["name"].Value}: the function key must stay a gate (AuthorizationLevel.Function).");
                var handed = HandOver().Match(m.Groups["body"].Value);
                Assert.True(handed.Success, $"{m.Groups["name"].Value} does not hand its call to OpsHttp.RunAsync(api, request, \"path\", cancellationToken).");
                return (m.Groups["name"].Value, m.Groups["method"].Value, m.Groups["route"].Value["ops/".Length..], handed.Groups["path"].Value);
            }),
    ];

    [Fact]
    public void Every_ops_function_keeps_the_key_gate_and_hands_exactly_its_route_to_the_ops_api()
    {
        var functions = Functions();

        Assert.True(functions.Count >= 10, $"Expected the ops functions in {Folder}, found {functions.Count}.");
        Assert.All(functions, f => Assert.Equal(f.Route, f.Path));
    }

    [Fact]
    public void No_ops_function_reads_a_principal_header_or_names_the_actor()
    {
        foreach (var file in Directory.EnumerateFiles(Folder, "*.cs"))
        {
            var source = File.ReadAllText(file);
            Assert.DoesNotContain("principal-name", source, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("x-ms-client", source, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("actor", source, StringComparison.OrdinalIgnoreCase);
        }
    }

    [GeneratedRegex(@"\[Function\(""(?<name>\w+)""\)\]\s*public (?:async )?Task<HttpResponseData> \w+\(\s*\[HttpTrigger\(AuthorizationLevel\.(?<level>\w+), ""(?<method>\w+)"", Route = ""(?<route>[^""]+)""\)\] HttpRequestData request,(?<body>.*?);\n", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionBlock();

    [GeneratedRegex(@"OpsHttp\.RunAsync\(api, request, \$?""(?<path>[^""]+)"", cancellationToken\)$", RegexOptions.CultureInvariant)]
    private static partial Regex HandOver();
}
