using System.Text.RegularExpressions;
using Integration.Operations.Identity;
using Integration.Tests.Fixtures;

namespace Integration.Tests.Operations.Identity;

/// <summary>
/// The ops HTTP functions (src/Functions/Operations, compiled here only by the surface check) each ask the authorizer
/// before doing anything: GET listings need read, every POST needs operate, the audit's actor is the authorizer's, and
/// no function reads a principal header itself. Function-level keys stay the first gate.
/// </summary>
public sealed partial class OpsFunctionsIdentityTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "src", "Functions", "Operations");

    [Fact]
    public void Every_ops_function_is_gated_with_the_access_its_method_needs()
    {
        var functions = Directory.EnumerateFiles(Folder, "*.cs")
            .SelectMany(file => FunctionBlock().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Match: m)))
            .ToList();

        Assert.True(functions.Count >= 7, $"Expected the ops functions in {Folder}, found {functions.Count}.");
        foreach (var (file, match) in functions)
        {
            var name = match.Groups["name"].Value;
            var access = match.Groups["method"].Value == "get" ? nameof(OpsAccess.Read) : nameof(OpsAccess.Operate);
            var body = match.Groups["body"].Value;
            Assert.True(match.Groups["level"].Value == "Function", $"{file} {name}: the function key must stay a gate (AuthorizationLevel.Function).");
            var gate = Regex.Match(body, $@"OpsHttp\.AuthorizeAsync\(request, authorizer, OpsAccess\.(?<access>\w+), ""{name}""\)");
            Assert.True(gate.Success, $"{file} {name} does not call OpsHttp.AuthorizeAsync(request, authorizer, OpsAccess.{access}, \"{name}\").");
            Assert.Equal(access, gate.Groups["access"].Value);
            var refusal = body.IndexOf("return refusal;", StringComparison.Ordinal);
            Assert.True(refusal > gate.Index && body[..gate.Index].All(c => c != ';'), $"{file} {name} does something before the identity check.");
        }
    }

    [Fact]
    public void No_ops_function_takes_the_actor_from_a_header()
    {
        foreach (var file in Directory.EnumerateFiles(Folder, "*.cs"))
        {
            var source = File.ReadAllText(file);
            Assert.DoesNotContain("principal-name", source, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("OpsHttp.Actor(", source, StringComparison.Ordinal);
            Assert.DoesNotContain("x-ms-client", source, StringComparison.OrdinalIgnoreCase);
        }
    }

    [GeneratedRegex(@"\[Function\(""(?<name>\w+)""\)\]\s*public async Task<HttpResponseData> \w+\(\s*\[HttpTrigger\(AuthorizationLevel\.(?<level>\w+), ""(?<method>\w+)""[^\]]*\)\] HttpRequestData request,\s*CancellationToken cancellationToken\)\s*\{(?<body>.*?)\n    \}", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionBlock();
}
