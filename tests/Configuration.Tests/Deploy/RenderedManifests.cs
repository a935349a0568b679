using System.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Configuration.Tests.Deploy;

/// <summary>The objects <c>kubectl kustomize</c> renders from one directory of deploy/kubernetes, as YAML nodes.</summary>
internal sealed class RenderedManifests
{
    private RenderedManifests(IReadOnlyList<YamlMappingNode> objects)
    {
        Objects = objects;
    }

    public IReadOnlyList<YamlMappingNode> Objects { get; }

    /// <summary>Deployments and StatefulSets.</summary>
    public IEnumerable<YamlMappingNode> Workloads => Objects.Where(o => Kind(o) is "Deployment" or "StatefulSet");

    public static string KubernetesDirectory(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "deploy", "kubernetes", relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"deploy/kubernetes/{relative} not found above {AppContext.BaseDirectory}");
    }

    public static RenderedManifests Render(string relative)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("kustomize");
        start.ArgumentList.Add(KubernetesDirectory(relative));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("kubectl could not be started: install kubectl (it renders the Kustomize overlays)");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"kubectl kustomize {relative} did not finish");
        }

        Assert.True(process.ExitCode == 0, $"kubectl kustomize {relative} failed: {errors.Result}");
        var stream = new YamlStream();
        stream.Load(new StringReader(output.Result));
        return new RenderedManifests([.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)]);
    }

    public static string Kind(YamlMappingNode o) => Scalar(o, "kind");

    public static string Name(YamlMappingNode o) => Scalar(Map(o, "metadata"), "name");

    public static YamlMappingNode PodSpec(YamlMappingNode workload) => Map(Map(Map(workload, "spec"), "template"), "spec");

    public static IReadOnlyDictionary<string, string> PodLabels(YamlMappingNode workload) =>
        Strings(Map(Map(Map(workload, "spec"), "template"), "metadata"), "labels");

    public static IEnumerable<YamlMappingNode> Containers(YamlMappingNode workload) =>
        Seq(PodSpec(workload), "containers").Cast<YamlMappingNode>();

    /// <summary>A container's ports as (name, number).</summary>
    public static IEnumerable<(string Name, int Port)> Ports(YamlMappingNode container) =>
        Seq(container, "ports").Cast<YamlMappingNode>().Select(p => (Find(p, "name") is YamlScalarNode n ? n.Value ?? "" : "", int.Parse(Scalar(p, "containerPort"), System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The teleport.yaml of the ConfigMap the workload mounts as its "config" volume.</summary>
    public string TeleportYamlOf(YamlMappingNode workload)
    {
        var volume = Seq(PodSpec(workload), "volumes").Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == "config");
        var configMapName = Scalar(Map(volume, "configMap"), "name");
        var configMap = Objects.Single(o => Kind(o) == "ConfigMap" && Name(o) == configMapName);
        return Scalar(Map(configMap, "data"), "teleport.yaml");
    }

    public static YamlNode? Find(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(YamlMappingNode node, string key) =>
        Find(node, key) as YamlMappingNode ?? throw new KeyNotFoundException($"{key} is missing or not a mapping");

    public static IEnumerable<YamlNode> Seq(YamlMappingNode node, string key) =>
        Find(node, key) is YamlSequenceNode sequence ? sequence.Children : [];

    public static string Scalar(YamlMappingNode node, string key) =>
        (Find(node, key) as YamlScalarNode)?.Value ?? throw new KeyNotFoundException($"{key} is missing or not a scalar");

    public static IReadOnlyDictionary<string, string> Strings(YamlMappingNode node, string key) =>
        Find(node, key) is YamlMappingNode map
            ? map.Children.ToDictionary(e => ((YamlScalarNode)e.Key).Value!, e => ((YamlScalarNode)e.Value).Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();
}
