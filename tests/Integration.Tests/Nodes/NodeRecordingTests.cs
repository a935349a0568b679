namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>A node that joined with a token keeps serving and recording while the auth service is down.</summary>
public sealed class NodeRecordingTests
{
    private const string Login = "teleport-test";

    [Fact]
    public async Task A_recording_made_while_the_auth_service_is_down_arrives_when_it_returns()
    {
        await using var cluster = await NodeCluster.StartAsync(localNode: false);
        var alice = await cluster.AddUserWithCertificateAsync("alice", "access", Login);
        var config = cluster.WriteNodeConfig("recorder", await cluster.AddTokenAsync());
        await using var node = await cluster.StartNodeAsync(config);
        Assert.False(node.HasExited, node.Output);
        await node.WaitForOutput("Access policy updated");
        (await OpenSsh.Ssh(alice, config.Port, Login, ["true"])).EnsureSuccess();

        await cluster.Auth!.KillAsync();
        var session = await OpenSsh.Ssh(alice, config.Port, Login, [], stdin: "echo OUTAGE-$((6*7))\nexit\n", tty: true);

        Assert.Equal(0, session.ExitCode);
        Assert.Contains("OUTAGE-42", session.Stdout, StringComparison.Ordinal);
        var upload = Path.Combine(config.DataDir, "log", "upload");
        await Eventually.Until(() => Directory.EnumerateFiles(upload, "*.cast").Any(), TimeSpan.FromSeconds(30), "the recording queued for upload");
        var sessionId = Path.GetFileNameWithoutExtension(Directory.EnumerateFiles(upload, "*.cast").Single());
        await node.WaitForOutput($"Uploading the recording of session {sessionId} failed");

        await cluster.StartAuthAsync();

        await node.WaitForOutput($"Recording of session {sessionId} uploaded", TimeSpan.FromSeconds(60));
        Assert.Empty(Directory.EnumerateFiles(upload, "*.cast"));
        var recording = await cluster.DownloadRecordingAsync(sessionId);
        Assert.NotNull(recording);
        NodeSshTests.AssertAsciicast(recording, "OUTAGE-42");
    }
}
