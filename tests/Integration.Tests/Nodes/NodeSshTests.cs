using System.Text.Json;
using System.Text.RegularExpressions;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>
/// The OpenSSH client against a real node (the all-in-one process's own node) with certificates from
/// <c>tctl auth sign</c>: commands, PTYs, scp and sftp, and the refusals RBAC, CAs, locks and expiry call for.
/// </summary>
public sealed partial class NodeSshTests(NodeSshTests.Fixture fixture) : IClassFixture<NodeSshTests.Fixture>
{
    private const string Login = "teleport-test";

    private NodeCluster Cluster => fixture.Cluster!;

    private int Port => Cluster.LocalNodePort;

    [Fact]
    public async Task Exec_returns_the_output_separate_stderr_and_the_exit_code()
    {
        var result = await OpenSsh.Ssh(fixture.Alice, Port, Login, ["id -un; echo to-stderr >&2; exit 7"]);

        Assert.Equal(7, result.ExitCode);
        Assert.Equal("teleport-test\n", result.Stdout);
        Assert.Contains("to-stderr", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pty_session_runs_on_a_pts_device()
    {
        var result = await OpenSsh.Ssh(fixture.Alice, Port, Login, ["tty"], tty: true);

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^/dev/pts/\d+\r?\n$", result.Stdout);
    }

    [Fact]
    public async Task Scp_copies_several_megabytes_both_ways_byte_exact()
    {
        var local = Path.Combine(Cluster.Root, "scp-" + Guid.NewGuid().ToString("N"));
        var remote = $"/tmp/teleport-node-scp-{Guid.NewGuid():N}";
        var back = local + ".back";
        var data = RandomBytes(6 * 1024 * 1024 + 123);
        await File.WriteAllBytesAsync(local, data);
        try
        {
            (await OpenSsh.Scp(fixture.Alice, Port, local, $"{Login}@127.0.0.1:{remote}")).EnsureSuccess();
            (await OpenSsh.Scp(fixture.Alice, Port, $"{Login}@127.0.0.1:{remote}", back)).EnsureSuccess();

            Assert.Equal(data, await File.ReadAllBytesAsync(remote));
            Assert.Equal(data, await File.ReadAllBytesAsync(back));
        }
        finally
        {
            File.Delete(remote);
        }
    }

    [Fact]
    public async Task Sftp_copies_several_megabytes_both_ways_byte_exact()
    {
        var local = Path.Combine(Cluster.Root, "sftp-" + Guid.NewGuid().ToString("N"));
        var remote = $"/tmp/teleport-node-sftp-{Guid.NewGuid():N}";
        var back = local + ".back";
        var data = RandomBytes(5 * 1024 * 1024 + 77);
        await File.WriteAllBytesAsync(local, data);
        try
        {
            (await OpenSsh.Sftp(fixture.Alice, Port, Login, $"put {local} {remote}\nget {remote} {back}\n")).EnsureSuccess();

            Assert.Equal(data, await File.ReadAllBytesAsync(back));
            var owner = await OpenSsh.Ssh(fixture.Alice, Port, Login, [$"stat -c %U {remote}"]);
            Assert.Equal("teleport-test\n", owner.Stdout);
        }
        finally
        {
            File.Delete(remote);
        }
    }

    [Fact]
    public async Task A_login_the_roles_do_not_grant_is_refused()
    {
        var result = await OpenSsh.Ssh(fixture.Alice, Port, "daemon", ["true"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_from_another_ca_is_refused()
    {
        var ca = Path.Combine(Cluster.Root, "other-ca-" + Guid.NewGuid().ToString("N"));
        var key = Path.Combine(Cluster.Root, "other-user-" + Guid.NewGuid().ToString("N"));
        (await OpenSsh.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", ca], null)).EnsureSuccess();
        (await OpenSsh.Run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key], null)).EnsureSuccess();
        (await OpenSsh.Run("ssh-keygen", ["-q", "-s", ca, "-I", "alice", "-n", Login, "-V", "-5m:+1h", key + ".pub"], null)).EnsureSuccess();

        var result = await OpenSsh.Ssh(key, Port, Login, ["true"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_label_a_role_denies_is_refused()
    {
        var result = await OpenSsh.Ssh(fixture.Bob, Port, Login, ["true"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
        // The node logs the refusal after the client has gone: wait for the line rather than race it.
        await Cluster.Auth!.WaitForOutput("is denied by role 'no-dev'");
    }

    [Fact]
    public async Task An_expired_certificate_is_refused()
    {
        // The role caps certificates at 3s (the CA's floor of a minute yields to a role's max_session_ttl).
        var key = await Cluster.AddUserWithCertificateAsync("dora", "brief", "");
        // Wait on the certificate's own expiry: tctl may take seconds to start on a busy machine.
        var validBefore = Ssh.Certificates.SshCertificate.Parse(await File.ReadAllTextAsync(key + "-cert.pub")).ValidBefore;
        await Eventually.Until(() => DateTimeOffset.UtcNow > validBefore.AddSeconds(1), TimeSpan.FromSeconds(30), "the certificate to expire");

        var result = await OpenSsh.Ssh(key, Port, Login, ["true"]);

        Assert.Equal(255, result.ExitCode);
        Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
        await Eventually.Until(
            () => System.Text.RegularExpressions.Regex.IsMatch(Cluster.Auth!.Output, "Login of dora as teleport-test from [^ ]+ refused: Certificate expired at"),
            TimeSpan.FromSeconds(30),
            "the node to log the refusal");
    }

    [Fact]
    public async Task A_lock_refuses_new_logins_of_the_locked_user()
    {
        var carol = await Cluster.AddUserWithCertificateAsync("carol", "access", Login);
        (await OpenSsh.Ssh(carol, Port, Login, ["true"])).EnsureSuccess();

        (await Cluster.Tctl("lock", "--user=carol", "--message=under investigation")).EnsureSuccess();

        await Eventually.Until(async () => (await OpenSsh.Ssh(carol, Port, Login, ["true"])).ExitCode == 255, TimeSpan.FromSeconds(30), "the lock to refuse carol");
        await Cluster.Auth!.WaitForOutput("lock targeting User:\"carol\" is in force: under investigation");
        (await OpenSsh.Ssh(fixture.Alice, Port, Login, ["true"])).EnsureSuccess();
    }

    [Fact]
    public async Task A_running_session_is_listed_as_an_active_session()
    {
        using var ssh = OpenSsh.StartSsh(fixture.Alice, Port, Login, ["echo started; sleep 60"]);
        try
        {
            Assert.Equal("started", await ssh.StandardOutput.ReadLineAsync());

            await Eventually.Until(
                async () => (await Cluster.Tctl("sessions", "ls")).Stdout.Split('\n').Any(l => l.Contains("alice", StringComparison.Ordinal) && l.Contains(Login, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30),
                "the session in tctl sessions ls");
        }
        finally
        {
            ssh.Kill(entireProcessTree: true);
            await ssh.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task A_pty_session_is_recorded_with_the_typed_text_and_increasing_timestamps()
    {
        var before = UploadedSessions(Cluster.Auth!.Output);

        var result = await OpenSsh.Ssh(fixture.Alice, Port, Login, [], stdin: "echo RECORDED-$((6*7))\nexit\n", tty: true);
        Assert.Equal(0, result.ExitCode);

        string? recording = null;
        await Eventually.Until(
            async () =>
            {
                foreach (var id in UploadedSessions(Cluster.Auth!.Output).Except(before))
                {
                    recording = await Cluster.DownloadRecordingAsync(id);
                    if (recording?.Contains("RECORDED-42", StringComparison.Ordinal) == true)
                    {
                        return true;
                    }
                }

                return false;
            },
            TimeSpan.FromSeconds(30),
            "the recording to be uploaded");
        AssertAsciicast(recording!, "RECORDED-42");
    }

    internal static IReadOnlyList<string> UploadedSessions(string output) =>
        [.. UploadedLine().Matches(output).Select(m => m.Groups[1].Value)];

    /// <summary>asciicast v2: a header object, then [time, "o", text] events with non-decreasing times.</summary>
    internal static void AssertAsciicast(string recording, string expectedOutput)
    {
        var lines = recording.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        using (var header = JsonDocument.Parse(lines[0]))
        {
            Assert.Equal(2, header.RootElement.GetProperty("version").GetInt32());
        }

        var last = -1.0;
        var output = new System.Text.StringBuilder();
        foreach (var line in lines.Skip(1))
        {
            using var entry = JsonDocument.Parse(line);
            var time = entry.RootElement[0].GetDouble();
            Assert.True(time >= last, $"timestamps go back: {time} after {last}");
            last = time;
            if (entry.RootElement[1].GetString() == "o")
            {
                output.Append(entry.RootElement[2].GetString());
            }
        }

        Assert.True(last > 0);
        Assert.Contains(expectedOutput, output.ToString(), StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int count)
    {
        var data = new byte[count];
        Random.Shared.NextBytes(data);
        return data;
    }

    [GeneratedRegex(@"Recording of session (\S+) uploaded")]
    private static partial Regex UploadedLine();

    public sealed class Fixture : IAsyncLifetime
    {
        internal NodeCluster? Cluster { get; private set; }

        internal string Alice { get; private set; } = "";

        internal string Bob { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Cluster = await NodeCluster.StartAsync();
            await Cluster.CreateAsync("""
                kind: role
                version: v7
                metadata:
                  name: no-dev
                spec:
                  allow:
                    logins: [teleport-test]
                    node_labels:
                      '*': '*'
                  deny:
                    node_labels:
                      env: dev
                ---
                kind: role
                version: v7
                metadata:
                  name: brief
                spec:
                  options:
                    max_session_ttl: 3s
                  allow:
                    logins: [teleport-test]
                    node_labels:
                      '*': '*'
                """);
            Alice = await Cluster.AddUserWithCertificateAsync("alice", "access", Login);
            Bob = await Cluster.AddUserWithCertificateAsync("bob", "no-dev", "");
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
