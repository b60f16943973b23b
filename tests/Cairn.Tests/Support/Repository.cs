namespace Cairn.Tests.Support;

/// <summary>The repository this test run was built from.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cairn.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Cairn.slnx above {AppContext.BaseDirectory}; run the tests from a clone of the repository.");
    }
}
