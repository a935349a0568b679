namespace Teleport.Orleans.Integration.Tests.Support;

/// <summary>Locates the built binaries of this checkout, so tests run exactly what a user runs.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string TeleportDll => Binary("teleport");

    public static string TctlDll => Binary("tctl");

    private static string Binary(string name)
    {
        var path = Path.Combine(Root, "cli", name, "bin", Configuration, "net10.0", name + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} is not built; build the solution first", path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Teleport.Orleans.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Teleport.Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
