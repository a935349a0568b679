namespace Teleport.Orleans.Ssh.Tests.Fuzz;

/// <summary>The checked-in fuzz inputs: seeds in tests/Fuzz/corpus/TARGET and fixed crashes in tests/Fuzz/crashes-fixed/TARGET.</summary>
internal static class FuzzInputs
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The tests/Fuzz folder of the source tree the tests were built from.</summary>
    public static string FuzzDirectory => Root.Value;

    public static string CorpusDirectory(string target) => Path.Combine(FuzzDirectory, "corpus", target);

    public static IReadOnlyList<string> Seeds(string target) => FilesIn(CorpusDirectory(target));

    public static IReadOnlyList<string> FixedCrashes(string target) => FilesIn(Path.Combine(FuzzDirectory, "crashes-fixed", target));

    private static List<string> FilesIn(string directory) =>
        Directory.Exists(directory) ? [.. Directory.GetFiles(directory).Order(StringComparer.Ordinal)] : [];

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "Fuzz");
            if (Directory.Exists(Path.Combine(candidate, "corpus")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No tests/Fuzz/corpus above {AppContext.BaseDirectory}.");
    }
}
