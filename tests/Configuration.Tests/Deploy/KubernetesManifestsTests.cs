using YamlDotNet.RepresentationModel;
using static Teleport.Orleans.Configuration.Tests.Deploy.RenderedManifests;

namespace Teleport.Orleans.Configuration.Tests.Deploy;

/// <summary>
/// deploy/kubernetes rendered by <c>kubectl kustomize</c>, base and every overlay, checked the way a cluster would
/// find the mistakes too late: probes, disruption budgets, ports against teleport.yaml, Services against pods.
/// </summary>
public sealed class KubernetesManifestsTests
{
    public static TheoryData<string> Directories => new() { "base", "overlays/postgresql", "overlays/dynamodb" };

    [Theory]
    [MemberData(nameof(Directories))]
    public void Every_container_has_liveness_and_readiness_probes_on_a_port_it_declares(string directory)
    {
        foreach (var workload in Render(directory).Workloads)
        {
            foreach (var container in Containers(workload))
            {
                var ports = Ports(container).ToArray();
                foreach (var (probe, path) in new[] { ("livenessProbe", "/healthz"), ("readinessProbe", "/readyz") })
                {
                    var get = Map(Map(container, probe), "httpGet");
                    Assert.Equal(path, Scalar(get, "path"));
                    var port = Scalar(get, "port");
                    Assert.Contains(ports, p => p.Name == port || p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == port);
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Directories))]
    public void Every_disruption_budget_selects_the_pods_of_a_workload(string directory)
    {
        var manifests = Render(directory);
        var budgets = manifests.Objects.Where(o => Kind(o) == "PodDisruptionBudget").ToArray();

        Assert.Equal(manifests.Workloads.Count(), budgets.Length);
        foreach (var budget in budgets)
        {
            var selector = Strings(Map(Map(budget, "spec"), "selector"), "matchLabels");
            Assert.NotEmpty(selector);
            Assert.Single(manifests.Workloads, w => Selects(selector, PodLabels(w)));
        }
    }

    [Theory]
    [MemberData(nameof(Directories))]
    public void Container_ports_are_the_ports_the_mounted_teleport_yaml_listens_on(string directory)
    {
        var manifests = Render(directory);
        foreach (var workload in manifests.Workloads)
        {
            var config = TeleportConfigLoader.Parse(manifests.TeleportYamlOf(workload), Name(workload));
            var container = Containers(workload).Single();
            var expected = ListenPorts(config).Concat(OrleansPorts(container)).Order().ToArray();

            Assert.Equal(expected, Ports(container).Select(p => p.Port).Order().ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Directories))]
    public void Every_service_selects_a_workload_and_targets_ports_its_containers_declare(string directory)
    {
        var manifests = Render(directory);
        foreach (var service in manifests.Objects.Where(o => Kind(o) == "Service"))
        {
            var selector = Strings(Map(service, "spec"), "selector");
            var workload = Assert.Single(manifests.Workloads, w => Selects(selector, PodLabels(w)));
            var ports = Containers(workload).SelectMany(Ports).ToArray();
            foreach (var port in Seq(Map(service, "spec"), "ports").Cast<YamlMappingNode>())
            {
                var target = Scalar(port, "targetPort");
                Assert.True(ports.Any(p => p.Name == target || p.Port.ToString(System.Globalization.CultureInfo.InvariantCulture) == target), $"{Name(service)} targets {target}, which {Name(workload)} does not declare");
            }
        }
    }

    [Theory]
    [InlineData("overlays/postgresql", StorageType.PostgreSql)]
    [InlineData("overlays/dynamodb", StorageType.DynamoDb)]
    public void Overlays_run_a_pool_of_auth_servers_on_a_shared_backend_with_recordings_in_object_storage(string directory, StorageType storage)
    {
        var manifests = Render(directory);
        var auth = manifests.Workloads.Single(w => Name(w) == "teleport-auth");
        var config = TeleportConfigLoader.Parse(manifests.TeleportYamlOf(auth));

        Assert.Equal(storage, config.Teleport.Storage.Type);
        Assert.StartsWith("s3://", config.Teleport.Storage.AuditSessionsUri, StringComparison.Ordinal);
        Assert.True(int.Parse(Scalar(Map(auth, "spec"), "replicas"), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        Assert.NotEmpty(Seq(PodSpec(auth), "topologySpreadConstraints"));
    }

    [Theory]
    [MemberData(nameof(Directories))]
    public void The_proxy_reads_its_certificate_from_the_tls_secret_and_drains_before_it_is_killed(string directory)
    {
        var manifests = Render(directory);
        var proxy = manifests.Workloads.Single(w => Name(w) == "teleport-proxy");
        var config = TeleportConfigLoader.Parse(manifests.TeleportYamlOf(proxy));
        var container = Containers(proxy).Single();
        var mounts = Seq(container, "volumeMounts").Cast<YamlMappingNode>().ToArray();
        var tlsMount = mounts.Single(m => Scalar(m, "mountPath") == "/etc/teleport-tls");
        var tlsVolume = Seq(PodSpec(proxy), "volumes").Cast<YamlMappingNode>().Single(v => Scalar(v, "name") == Scalar(tlsMount, "name"));

        Assert.Equal("teleport-tls", Scalar(Map(tlsVolume, "secret"), "secretName"));
        Assert.All(config.ProxyService.HttpsKeyPairs, pair => Assert.StartsWith("/etc/teleport-tls/", pair.CertFile, StringComparison.Ordinal));
        Assert.NotNull(Find(Map(container, "lifecycle"), "preStop"));
        Assert.True(int.Parse(Scalar(PodSpec(proxy), "terminationGracePeriodSeconds"), System.Globalization.CultureInfo.InvariantCulture) >= 35);
    }

    private static bool Selects(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>What the process listens on by this file: diag_addr, the auth API, the proxy's listeners.</summary>
    private static IEnumerable<int> ListenPorts(TeleportConfig config)
    {
        if (config.Teleport.DiagAddr is { } diag)
        {
            yield return diag.Port;
        }

        if (config.AuthService.Enabled)
        {
            yield return config.AuthService.ListenAddr.Port;
        }

        if (config.ProxyService.Enabled)
        {
            var proxy = config.ProxyService;
            var multiplex = config.AuthService.ProxyListenerMode == ProxyListenerMode.Multiplex;
            yield return proxy.WebListenAddr.Port;
            if (!multiplex || proxy.ListenAddrIsSet)
            {
                yield return proxy.ListenAddr.Port;
            }

            if (!multiplex)
            {
                yield return proxy.TunnelListenAddr.Port;
            }

            if (proxy.PeerListenAddr is { } peer)
            {
                yield return peer.Port;
            }
        }
    }

    /// <summary>Orleans' silo and gateway ports come from the environment (TELEPORT_SILO_PORT, TELEPORT_GATEWAY_PORT).</summary>
    private static IEnumerable<int> OrleansPorts(YamlMappingNode container) => Seq(container, "env").Cast<YamlMappingNode>()
        .Where(e => Scalar(e, "name") is "TELEPORT_SILO_PORT" or "TELEPORT_GATEWAY_PORT")
        .Select(e => int.Parse(Scalar(e, "value"), System.Globalization.CultureInfo.InvariantCulture));
}
