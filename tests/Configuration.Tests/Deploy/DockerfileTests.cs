using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Teleport.Orleans.Configuration.Tests.Deploy;

/// <summary>
/// The Dockerfile restores before it copies the sources (so the package layer is cached): every project the published
/// programs reference must be copied for that restore, or the image does not build.
/// </summary>
public sealed partial class DockerfileTests
{
    [Fact]
    public void Every_project_the_published_programs_reference_is_copied_before_the_restore()
    {
        var root = RepositoryRoot();
        var dockerfile = File.ReadAllText(Path.Combine(root, "Dockerfile"));
        var beforeSources = dockerfile[..dockerfile.IndexOf("COPY . .", StringComparison.Ordinal)];
        var copied = ProjectCopy().Matches(beforeSources).Select(m => m.Groups["dir"].Value.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        var published = PublishedProject().Matches(dockerfile).Select(m => m.Groups["project"].Value).ToList();

        var needed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var project in published)
        {
            AddWithReferences(root, Path.GetFullPath(Path.Combine(root, project)), needed);
        }

        Assert.Equal(["cli/tctl/tctl.csproj", "cli/teleport/teleport.csproj", "cli/tsh/tsh.csproj"], published.Order(StringComparer.Ordinal));
        Assert.All(needed, directory => Assert.True(copied.Contains(directory), $"the Dockerfile restores without {directory}/*.csproj: add COPY {directory}/*.csproj {directory}/"));
    }

    private static void AddWithReferences(string root, string project, ISet<string> needed)
    {
        if (!needed.Add(Path.GetRelativePath(root, Path.GetDirectoryName(project)!).Replace('\\', '/')))
        {
            return;
        }

        foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
        {
            var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
            AddWithReferences(root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include)), needed);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Dockerfile")) && File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"the repository (Dockerfile) not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^COPY (?<dir>[\w/.-]+)/\*\.csproj ", RegexOptions.Multiline)]
    private static partial Regex ProjectCopy();

    [GeneratedRegex(@"dotnet publish (?<project>\S+\.csproj)")]
    private static partial Regex PublishedProject();
}
