using System.Globalization;
using System.Net.Http.Json;
using Teleport.Orleans.Integration.Tests.Gateway;
using Teleport.Orleans.Integration.Tests.Tsh;
using Teleport.Orleans.Ssh.Keys;
using HttpStatusCode = System.Net.HttpStatusCode;

namespace Teleport.Orleans.Integration.Tests.Diagnostics;

/// <summary>
/// /metrics of a real all-in-one process (auth, proxy, node) under Teleport's metric names: what an operator's
/// dashboards read moves when users log in and open sessions.
/// </summary>
public sealed class PrometheusMetricsTests(TshCluster cluster) : IClassFixture<TshCluster>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_failed_login_counts_as_an_attempt_and_a_failure()
    {
        var before = await Scrape();
        using var web = WebClient.For(cluster.Server.Proxy!.WebPort, out _);
        using var key = SshPrivateKey.Generate(SshKeyType.Ed25519);

        var response = await web.PostAsJsonAsync("/v1/webapi/ssh/certs", new
        {
            user = "alice",
            password = "not the password",
            otp_token = "000000",
            pub_key = key.PublicKey.ToAuthorizedKeysLine(),
        });
        var after = await Scrape();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, Sum(after, "failed_login_attempts_total") - Sum(before, "failed_login_attempts_total"));
        Assert.Equal(1, Sum(after, "user_login_total") - Sum(before, "user_login_total"));
        // tsh login in the fixture got a certificate pair.
        Assert.True(Sum(after, "teleport_user_certificates_generated") >= 1, after);
    }

    [Fact]
    public async Task An_ssh_session_through_the_proxy_moves_the_connection_session_and_audit_counters()
    {
        await cluster.SshWhenNodeIsRouted($"{TshCluster.Login}@{TshCluster.NodeName}", "true");
        var before = await Scrape();

        var result = await cluster.Tsh("ssh", $"{TshCluster.Login}@{TshCluster.NodeName}", "true");
        // The node sends its session.end after the client has its exit status: wait for the counters, not a time.
        var after = await Eventually(text => Sum(text, "teleport_node_sessions_started_total") > Sum(before, "teleport_node_sessions_started_total"));

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal(1, Sum(after, "teleport_connect_to_node_attempts_total") - Sum(before, "teleport_connect_to_node_attempts_total"));
        Assert.Equal(0, Sum(after, "failed_connect_to_node_attempts_total") - Sum(before, "failed_connect_to_node_attempts_total"));
        Assert.True(Sum(after, "teleport_audit_emit_events") > Sum(before, "teleport_audit_emit_events"), after);
        Assert.Equal(0, Sum(after, "audit_failed_emit_events"));
    }

    [Fact]
    public async Task The_node_watch_heartbeats_and_backend_requests_are_visible()
    {
        await cluster.SshWhenNodeIsRouted($"{TshCluster.Login}@{TshCluster.NodeName}", "true");

        var metrics = await Eventually(text => Sum(text, "teleport_connected_resources", "type=\"node\"") == 1);

        Assert.True(Sum(metrics, "teleport_heartbeats_received_total") >= 1, metrics);
        Assert.True(Sum(metrics, "teleport_node_heartbeats_total") >= 1, metrics);
        Assert.True(Sum(metrics, "backend_write_requests_total") >= 1, metrics);
        Assert.Contains("# TYPE backend_read_seconds histogram", metrics);
        Assert.Contains("backend_requests{", metrics);
        Assert.Contains("teleport_reverse_tunnels_connected{", metrics);
        Assert.Contains("proxy_ssh_sessions_total", metrics);
        Assert.Contains("server_interactive_sessions_total", metrics);
        Assert.Equal(0, Sum(metrics, "process_state"));
        Assert.Contains("# TYPE orleans_", metrics);
    }

    /// <summary>
    /// Teleport's list of the metrics an operator reads (reference section 11), each on /metrics of the process running
    /// auth, proxy and node. Not here: auth_generate_requests_throttled_total (host certificate requests are not
    /// throttled in this project).
    /// </summary>
    [Fact]
    public async Task Every_metric_of_teleports_operator_list_is_exported()
    {
        string[] names =
        [
            "process_state", "teleport_connected_resources", "teleport_registered_servers", "teleport_reverse_tunnels_connected",
            "proxy_missing_ssh_tunnels", "proxy_ssh_sessions_total", "server_interactive_sessions_total", "auth_generate_requests_total",
            "auth_generate_seconds", "backend_requests", "backend_read_requests_total", "backend_write_requests_total",
            "backend_read_seconds", "backend_write_seconds", "teleport_audit_emit_events", "audit_failed_emit_events",
            "failed_login_attempts_total", "user_login_total", "failed_connect_to_node_attempts_total",
            "teleport_connect_to_node_attempts_total", "heartbeats_missed_total", "proxy_connection_limit_exceeded_total",
        ];
        await cluster.SshWhenNodeIsRouted($"{TshCluster.Login}@{TshCluster.NodeName}", "true");

        var metrics = await Eventually(text => Sum(text, "teleport_registered_servers") >= 1);

        var missing = names.Where(n => !metrics.Contains($"# TYPE {n} ", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "not on /metrics: " + string.Join(", ", missing));
        Assert.Equal(1, Sum(metrics, "teleport_registered_servers", "type=\"node\""));
        Assert.Equal(0, Sum(metrics, "proxy_missing_ssh_tunnels"));
        Assert.Equal(0, Sum(metrics, "heartbeats_missed_total"));
        Assert.Equal(0, Sum(metrics, "proxy_connection_limit_exceeded_total"));
    }

    private Task<string> Scrape() => Http.GetStringAsync($"http://127.0.0.1:{cluster.Server.DiagPort}/metrics");

    private async Task<string> Eventually(Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var text = await Scrape();
            if (condition(text) || timeout.IsCancellationRequested)
            {
                return text;
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>The sum of every series of <paramref name="name"/> (optionally only those with <paramref name="label"/>).</summary>
    private static double Sum(string text, string name, string? label = null) => text.Split('\n')
        .Where(line => line.StartsWith(name + "{", StringComparison.Ordinal) || line.StartsWith(name + " ", StringComparison.Ordinal))
        .Where(line => label is null || line.Contains(label, StringComparison.Ordinal))
        .Sum(line => double.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture));
}
