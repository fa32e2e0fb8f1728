using Integration.Tests.Fixtures;

namespace Integration.Tests.Functions;

/// <summary>
/// The Function App as the real Worker SDK built it with the tests (tests/Integration.Tests references src/Functions
/// without its assembly): its output folder, functions.metadata and worker entry point.
/// </summary>
internal static class BuiltFunctionApp
{
    /// <summary>src/Functions/bin/{Configuration}/net10.0, the configuration the tests were built in.</summary>
    public static string Folder
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/{Configuration}/net10.0
            var folder = Path.Combine(RepositoryRoot.Path, "src", "Functions", "bin", configuration, "net10.0");
            return File.Exists(Path.Combine(folder, "functions.metadata"))
                ? folder
                : throw new FileNotFoundException($"src/Functions is not built at {folder} (dotnet build tests/Integration.Tests builds it).");
        }
    }

    public static string MetadataFile => Path.Combine(Folder, "functions.metadata");

    public static string WorkerDll => Path.Combine(Folder, "Integration.Functions.dll");
}
