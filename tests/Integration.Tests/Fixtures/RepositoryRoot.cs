namespace Integration.Tests.Fixtures;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Integration.sln, found upwards from the test assembly.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Integration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Integration.sln above {AppContext.BaseDirectory}.");
    }
}
