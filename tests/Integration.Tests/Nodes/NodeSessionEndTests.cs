using System.Diagnostics;
using System.Text.Json;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>
/// A real node ends sessions held directly on it (the OpenSSH client on its SSH port) when access ends: a lock made
/// with tctl, the certificate's expiry for a role with disconnect_expired_cert, and client_idle_timeout. The client
/// reads why in Teleport's words, and client.disconnect (T3006I) records it in the audit log. The recordings list
/// holds only sessions that left a recording.
/// </summary>
public sealed class NodeSessionEndTests(NodeSessionEndTests.Fixture fixture) : IClassFixture<NodeSessionEndTests.Fixture>
{
    private const string Login = "teleport-test";

    /// <summary>How soon a session must end once its access has.</summary>
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(5);

    /// <summary>The short-lived certificates' lifetime (the expiring role's max_session_ttl).</summary>
    private static readonly TimeSpan CertificateLifetime = TimeSpan.FromSeconds(12);

    private NodeCluster Cluster => fixture.Cluster!;

    private int Port => Cluster.LocalNodePort;

    [Fact]
    public async Task A_lock_made_with_tctl_ends_a_direct_OpenSSH_session_within_5s_and_the_client_reads_why()
    {
        var key = await Cluster.AddUserWithCertificateAsync("erin", "access", Login);
        using var ssh = OpenSsh.StartSsh(key, Port, Login, ["echo started; sleep 60"]);
        var stderr = ssh.StandardError.ReadToEndAsync();
        try
        {
            Assert.Equal("started", await ssh.StandardOutput.ReadLineAsync());

            (await Cluster.Tctl("lock", "--user=erin", "--message=laptop stolen")).EnsureSuccess();
            var locked = Stopwatch.StartNew();
            await ssh.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));

            Assert.True(locked.Elapsed < Promptly, $"the session ran on for {locked.Elapsed} after tctl lock returned");
        }
        finally
        {
            Stop(ssh);
        }

        Assert.Contains("lock targeting User:\"erin\" is in force: laptop stolen", await stderr);
        await AssertDisconnectAuditedAsync("erin", "lock targeting User:\"erin\" is in force: laptop stolen");
    }

    [Fact]
    public async Task A_certificate_that_expires_ends_the_session_of_a_role_with_disconnect_expired_cert()
    {
        (await Cluster.Tctl("users", "add", "fay", "--roles=expiring")).EnsureSuccess();
        var signing = DateTimeOffset.UtcNow;
        // The CA's floor of a minute yields to the role's max_session_ttl: the certificate lives 12 s.
        var key = await Cluster.SignAsync("fay", "1m");
        var signed = DateTimeOffset.UtcNow;
        using var ssh = OpenSsh.StartSsh(key, Port, Login, ["echo started; sleep 60"]);
        var stderr = ssh.StandardError.ReadToEndAsync();
        try
        {
            Assert.Equal("started", await ssh.StandardOutput.ReadLineAsync());
            await ssh.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            Stop(ssh);
        }

        var ended = DateTimeOffset.UtcNow;
        // Certificates count whole seconds, so the expiry may be up to one before the signing time plus the lifetime.
        Assert.True(ended >= signing + CertificateLifetime - TimeSpan.FromSeconds(1), $"the session ended at {ended:O}, before its certificate expired");
        Assert.True(ended <= signed + CertificateLifetime + Promptly, $"the session ended at {ended:O}, long after its certificate expired");
        Assert.Contains("client certificate expired at ", await stderr);
        await AssertDisconnectAuditedAsync("fay", "client certificate expired at ");
    }

    [Fact]
    public async Task A_session_without_client_input_for_client_idle_timeout_is_ended()
    {
        var key = await Cluster.AddUserWithCertificateAsync("gus", "idle", "");
        using var ssh = OpenSsh.StartSsh(key, Port, Login, ["echo started; sleep 60"]);
        var stderr = ssh.StandardError.ReadToEndAsync();
        var started = Stopwatch.StartNew();
        try
        {
            Assert.Equal("started", await ssh.StandardOutput.ReadLineAsync());
            await ssh.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            Stop(ssh);
        }

        Assert.True(started.Elapsed < TimeSpan.FromSeconds(2) + Promptly, $"the idle session lasted {started.Elapsed}");
        Assert.Contains("Client exceeded idle timeout of 2s", await stderr);
        await AssertDisconnectAuditedAsync("gus", "Client exceeded idle timeout of 2s");
    }

    [Fact]
    public async Task Recordings_lists_only_sessions_that_left_a_recording_newest_first()
    {
        var key = await Cluster.AddUserWithCertificateAsync("hal", "access", Login);
        (await OpenSsh.Ssh(key, Port, Login, ["echo not-recorded"])).EnsureSuccess();
        (await OpenSsh.Ssh(key, Port, Login, ["echo recorded"], tty: true)).EnsureSuccess();

        // Both sessions end in the audit log; the recorded one is listed once the node has uploaded it.
        JsonElement[] listed = [];
        await Eventually.Until(
            async () =>
            {
                var ends = await JsonAsync("events", "ls", "--type=session.end", "--format=json");
                var halsEnds = ends.Where(e => Text(e, "user") == "hal").ToArray();
                listed = await JsonAsync("recordings", "ls", "--format=json");
                return halsEnds.Length == 2 && listed.Any(e => Text(e, "user") == "hal");
            },
            TimeSpan.FromSeconds(60),
            "hal's sessions in the audit log and the recorded one in tctl recordings ls");

        var unrecorded = (await JsonAsync("events", "ls", "--type=session.end", "--format=json"))
            .Single(e => Text(e, "user") == "hal" && e.GetProperty("interactive").ValueKind == JsonValueKind.False);
        Assert.DoesNotContain(listed, e => Text(e, "sid") == Text(unrecorded, "sid"));
        Assert.All(listed, e => Assert.True(e.GetProperty("interactive").GetBoolean() && Text(e, "session_recording") != "off", e.ToString()));
        var times = listed.Select(e => e.GetProperty("time").GetDateTimeOffset()).ToArray();
        Assert.Equal(times.OrderDescending(), times);
    }

    private async Task AssertDisconnectAuditedAsync(string user, string reason) =>
        await Eventually.Until(
            async () => (await JsonAsync("events", "ls", "--type=client.disconnect", "--format=json")).Any(e =>
                Text(e, "user") == user && Text(e, "code") == "T3006I" && Text(e, "reason").StartsWith(reason, StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            $"client.disconnect of {user} with the reason \"{reason}\"");

    private async Task<JsonElement[]> JsonAsync(params string[] args)
    {
        var output = (await Cluster.Tctl(args)).EnsureSuccess().Stdout;
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static void Stop(Process ssh)
    {
        if (!ssh.HasExited)
        {
            ssh.Kill(entireProcessTree: true);
            ssh.WaitForExit();
        }
    }

    public sealed class Fixture : IAsyncLifetime
    {
        internal NodeCluster? Cluster { get; private set; }

        public async Task InitializeAsync()
        {
            Cluster = await NodeCluster.StartAsync();
            await Cluster.CreateAsync("""
                kind: role
                version: v7
                metadata:
                  name: expiring
                spec:
                  options:
                    max_session_ttl: 12s
                    disconnect_expired_cert: true
                  allow:
                    logins: [teleport-test]
                    node_labels:
                      '*': '*'
                ---
                kind: role
                version: v7
                metadata:
                  name: idle
                spec:
                  options:
                    client_idle_timeout: 2s
                  allow:
                    logins: [teleport-test]
                    node_labels:
                      '*': '*'
                """);
        }

        public async Task DisposeAsync()
        {
            if (Cluster is not null)
            {
                await Cluster.DisposeAsync();
            }
        }
    }
}
