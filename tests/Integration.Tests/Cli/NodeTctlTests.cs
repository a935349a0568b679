using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Cli;

/// <summary>tctl for nodes, locks, sessions and recordings, run as an admin on the auth host.</summary>
[Collection(ServerCollection.Name)]
public sealed class NodeTctlTests(ServerFixture fixture) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("tctl-nodes-").FullName;

    private TeleportServer Server => fixture.Server;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Agentless_openssh_node_is_created_listed_and_removed()
    {
        var uuid = Guid.NewGuid().ToString();
        var file = Path.Combine(_work, "node.yaml");
        await File.WriteAllTextAsync(file, $"""
            kind: node
            sub_kind: openssh
            version: v2
            metadata:
              name: {uuid}
              labels:
                env: legacy
            spec:
              addr: 10.1.2.3:22
              hostname: legacy-{uuid[..8]}
            """);

        (await Server.Tctl("create", file)).EnsureSuccess();
        var table = (await Server.Tctl("nodes", "ls", "env=legacy")).EnsureSuccess().Stdout;
        var yaml = (await Server.Tctl("get", $"node/{uuid}")).EnsureSuccess().Stdout;
        (await Server.Tctl("rm", $"node/{uuid}")).EnsureSuccess();
        var after = (await Server.Tctl("nodes", "ls")).EnsureSuccess().Stdout;

        Assert.Contains("Host", table);
        Assert.Contains("Public Address", table);
        var row = Assert.Single(table.Split('\n'), line => line.Contains(uuid, StringComparison.Ordinal));
        Assert.Contains($"legacy-{uuid[..8]}", row);
        Assert.Contains("10.1.2.3:22", row);
        Assert.Contains("env=legacy", row);
        Assert.Contains("sub_kind: openssh", yaml);
        Assert.DoesNotContain("expires", yaml);
        Assert.DoesNotContain(uuid, after);
    }

    [Fact]
    public async Task Lock_command_creates_a_lock_that_get_shows_and_rm_removes()
    {
        var user = "mallory-" + Guid.NewGuid().ToString("N")[..6];

        var created = (await Server.Tctl("lock", $"--user={user}", "--message=Suspicious activity", "--ttl=1h")).EnsureSuccess().Stdout;
        var name = created.Split('"')[1];
        var locks = (await Server.Tctl("get", "locks")).EnsureSuccess().Stdout;
        (await Server.Tctl("rm", $"lock/{name}")).EnsureSuccess();
        var after = (await Server.Tctl("get", "locks")).EnsureSuccess().Stdout;
        var events = (await Server.Tctl("events", "ls", "--type", "lock.created,lock.deleted", "--format", "json")).EnsureSuccess().Stdout;

        Assert.StartsWith("Created a lock with name", created);
        Assert.Contains($"user: {user}", locks);
        Assert.Contains("message: Suspicious activity", locks);
        Assert.Contains("expires:", locks);
        Assert.DoesNotContain(user, after);
        Assert.Contains("TLK00I", events);
        Assert.Contains("TLK01I", events);
    }

    [Fact]
    public async Task Lock_without_a_target_is_refused()
    {
        var result = await Server.Tctl("lock", "--message=nobody");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--user, --login or --node", result.Stderr);
    }

    [Fact]
    public async Task Nodes_add_prints_a_node_token_and_how_to_join()
    {
        var result = (await Server.Tctl("nodes", "add", "--ttl=5m")).EnsureSuccess().Stdout;

        Assert.Matches("The invite token: [0-9a-f]{32}", result);
        Assert.Contains("--roles=node", result);
        Assert.Contains("--ca-pin=sha256:", result);
    }

    [Fact]
    public async Task Sessions_ls_shows_a_running_session_and_recordings_ls_an_ended_one()
    {
        using var node = await ApiClient.JoinNode(Server, "sess-host");
        var sid = Guid.NewGuid().ToString();
        await node.Client.UpsertSessionTrackerAsync(new SessionTracker { SessionId = sid, Kind = "ssh", State = "running", User = "alice", Login = "root", Hostname = "sess-host" });
        await node.Client.EmitAuditEventAsync(new EmitAuditEventRequest
        {
            EventJson = $$"""{"event":"session.end","code":"T2004I","sid":"{{sid}}","user":"alice","participants":["alice"],"server_hostname":"sess-host","interactive":true,"session_recording":"node"}""",
        });

        var sessions = (await Server.Tctl("sessions", "ls")).EnsureSuccess().Stdout;
        var recordings = (await Server.Tctl("recordings", "ls")).EnsureSuccess().Stdout;
        var trackers = (await Server.Tctl("get", "session_trackers")).EnsureSuccess().Stdout;

        var row = Assert.Single(sessions.Split('\n'), line => line.Contains(sid, StringComparison.Ordinal));
        Assert.Contains("alice", row);
        Assert.Contains("root", row);
        Assert.Contains("sess-host", row);
        Assert.Contains(recordings.Split('\n'), line => line.Contains(sid, StringComparison.Ordinal) && line.Contains("sess-host", StringComparison.Ordinal));
        Assert.Contains("kind: session_tracker", trackers);
        Assert.Contains($"session_id: {sid}", trackers);
    }
}
