using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Integration.DeadLetters;
using Integration.Local.Tasks;
using Integration.Operations;
using Integration.Operations.DeadLetters;
using Integration.Storage;
using Integration.Tests.Fixtures;
using Integration.Tests.Functions;

namespace Integration.Tests.Architecture;

/// <summary>
/// The boundaries the README's layout promises, checked on the compiled assemblies: the dead-letter queue's model
/// (<c>Integration.DeadLetters</c>) never uses the operator tools (<c>Integration.Operations</c>), which build on it;
/// the local stand-ins live in Integration.Local only, which neither the core nor the Function App references.
/// </summary>
public sealed partial class ProjectBoundaryTests
{
    private static readonly Assembly Core = typeof(StorageOptions).Assembly;

    [Fact]
    public void DeadLetters_use_nothing_of_Operations_and_Operations_build_on_DeadLetters()
    {
        var backwards = Uses(from: "Integration.DeadLetters", to: "Integration.Operations");
        var forwards = Uses(from: "Integration.Operations", to: "Integration.DeadLetters");

        Assert.True(backwards.Count == 0,
            $"Integration.DeadLetters must not use Integration.Operations (move the shared piece to Common, or the user to Operations): {string.Join("; ", backwards)}");
        // The one-way dependency, seen by the same walk: in a signature, and only inside a method body.
        Assert.Contains($"{typeof(DeadLetterRedrive).FullName} -> {typeof(IDeadLetterQueue).FullName}", forwards);
        Assert.Contains($"{typeof(DeadLetterSummary).FullName} -> {typeof(DeadLetterFingerprint).FullName}", forwards);
    }

    [Fact]
    public void DeadLetters_sources_name_nothing_of_Operations()
    {
        // What the compiler leaves no trace of in IL: a constant, a nameof, a cref, an unused using.
        var folder = Path.Combine(RepositoryRoot.Path, "src", "Integration", "DeadLetters");
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).ToList();
        var mentions = files
            .SelectMany(file => File.ReadLines(file).Select((line, index) => (file, line, index)))
            .Where(l => OperationsName().IsMatch(l.line))
            .Select(l => $"{Path.GetRelativePath(RepositoryRoot.Path, l.file)}:{l.index + 1}: {l.line.Trim()}")
            .ToList();

        Assert.NotEmpty(files);
        Assert.True(mentions.Count == 0, $"Integration.DeadLetters names Integration.Operations: {string.Join("; ", mentions)}");
    }

    [Fact]
    public void The_core_neither_holds_nor_references_the_local_stand_ins()
    {
        var local = typeof(LocalTaskQueue).Assembly;

        Assert.Equal("Integration.Local", local.GetName().Name);
        Assert.All(local.GetExportedTypes(), t => Assert.True(t.IsIn("Integration.Local"), $"{t.FullName} is outside Integration.Local"));
        Assert.Empty(Core.GetTypes().Where(t => t.IsIn("Integration.Local")).Select(t => t.FullName));
        Assert.DoesNotContain("Integration.Local", Core.GetReferencedAssemblies().Select(a => a.Name));
        Assert.Contains(Core.GetName().Name, local.GetReferencedAssemblies().Select(a => a.Name));
    }

    [Fact]
    public void The_function_app_ships_without_the_local_stand_ins()
    {
        var shipped = Directory.EnumerateFiles(BuiltFunctionApp.Folder, "*.dll").Select(Path.GetFileName).ToList();
        using var worker = new PEReader(File.OpenRead(BuiltFunctionApp.WorkerDll));
        var metadata = worker.GetMetadataReader();
        var references = metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)).ToList();

        Assert.Contains("Integration.Core.dll", shipped);
        Assert.Contains("Integration.Core", references);
        Assert.DoesNotContain("Integration.Local.dll", shipped);
        Assert.DoesNotContain("Integration.Local", references);
    }

    /// <summary>"A -> B" for each type A in <paramref name="from"/> (or below) that uses a type B in <paramref name="to"/> (or below).</summary>
    private static List<string> Uses(string from, string to) =>
    [
        .. Core.GetTypes()
            .Where(t => t.IsIn(from))
            .SelectMany(t => TypeReferences.Of(t).Where(r => r.IsIn(to) && !r.IsIn(from)).Select(r => $"{Outermost(t).FullName} -> {r.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    /// <summary><c>Integration.Operations</c>, or <c>Operations.X</c> as code in a sibling namespace may write it.</summary>
    [GeneratedRegex(@"\bIntegration\.Operations\b|\bOperations\.\w", RegexOptions.CultureInvariant)]
    private static partial Regex OperationsName();

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer)
        {
            type = outer;
        }

        return type;
    }
}
