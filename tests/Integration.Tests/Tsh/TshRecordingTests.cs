using System.Text.RegularExpressions;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// Recordings through the proxy on a real all-in-one cluster: a PTY session via tsh is recorded by the node, uploaded
/// to the auth service, listed by <c>tsh recordings ls</c> and replayed by <c>tsh play</c>, for users whose roles
/// allow reading sessions.
/// </summary>
public sealed partial class TshRecordingTests(TshCluster cluster) : IClassFixture<TshCluster>
{
    private const string NoSessionsRole = """
        kind: role
        version: v7
        metadata:
          name: no-sessions
        spec:
          allow:
            logins: ['{{internal.logins}}']
            node_labels:
              '*': '*'
        """;

    private static string Node => $"{TshCluster.Login}@{TshCluster.NodeName}";

    [Fact]
    public async Task A_terminal_session_is_listed_and_plays_back_what_it_printed()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        // The marker is computed on the node, so only the session's output (not a typed command line) holds it.
        var session = await cluster.Run("script", "-qec", $"dotnet {TshCluster.TshDll} ssh -t {Node} 'echo REC-$((6*7))-MARK'", "/dev/null");
        Assert.True(session.ExitCode == 0, session.Stdout + session.Stderr);
        Assert.Contains("REC-42-MARK", session.Stdout);

        var (sessionId, played) = await PlayedRecordingWith("REC-42-MARK");

        var json = (await cluster.Tsh("play", "--format", "json", sessionId)).EnsureSuccess();
        Assert.Contains("REC-42-MARK", played);
        Assert.Contains("REC-42-MARK", json.Stdout);
    }

    [Fact]
    public async Task A_recording_larger_than_one_slice_streams_whole()
    {
        await cluster.SshWhenNodeIsRouted(Node, "true");

        // 700,000 bytes of output span several reads of the recording reader grain (256 KiB each).
        var session = await cluster.Run("script", "-qec", $"dotnet {TshCluster.TshDll} ssh -t {Node} 'head -c 700000 /dev/zero | tr \\\\0 x; echo; echo BIG-$((6*7))-END'", "/dev/null");
        Assert.True(session.ExitCode == 0, session.Stdout + session.Stderr);

        var (_, played) = await PlayedRecordingWith("BIG-42-END");

        Assert.Equal(700_000, played.Count(c => c == 'x'));
    }

    [Fact]
    public async Task Recordings_ls_lists_only_sessions_that_play_newest_first()
    {
        // An exec without a terminal: the proxy relays it and the node runs it, but nothing is recorded.
        (await cluster.SshWhenNodeIsRouted(Node, "echo exec-not-recorded")).EnsureSuccess();
        var session = await cluster.Run("script", "-qec", $"dotnet {TshCluster.TshDll} ssh -t {Node} 'echo LIST-$((6*7))-MARK'", "/dev/null");
        Assert.True(session.ExitCode == 0, session.Stdout + session.Stderr);
        var (sessionId, _) = await PlayedRecordingWith("LIST-42-MARK");

        var listed = (await cluster.Tsh("recordings", "ls")).EnsureSuccess();

        var ids = SessionId().Matches(listed.Stdout).Select(m => m.Value).ToArray();
        Assert.Equal(sessionId, ids[0]);
        foreach (var id in ids)
        {
            var play = await cluster.Tsh("play", "--format", "text", id);
            Assert.True(play.ExitCode == 0, $"{id} is listed but does not play: {play.Stderr}");
        }
    }

    [Fact]
    public async Task A_session_that_was_never_recorded_is_not_found()
    {
        var play = await cluster.Tsh("play", "--format", "text", "00000000-0000-0000-0000-000000000000");

        Assert.NotEqual(0, play.ExitCode);
        Assert.Contains("There is no recording of session 00000000-0000-0000-0000-000000000000: only sessions with a terminal are recorded", play.Stderr);
    }

    [Fact]
    public async Task A_user_whose_roles_do_not_allow_reading_sessions_is_refused()
    {
        var roleFile = Path.Combine(cluster.Home.FullName, "no-sessions.yaml");
        await File.WriteAllTextAsync(roleFile, NoSessionsRole);
        (await cluster.Server.Tctl("create", roleFile)).EnsureSuccess();
        var home = Directory.CreateTempSubdirectory("tsh-e2e-bob-");
        try
        {
            var (_, login) = await cluster.AddUserAndLoginAsync("bob", "no-sessions", home);
            Assert.True(login.ExitCode == 0, login.Stdout + login.Stderr);

            var list = await TshCluster.TshIn(home, "", "recordings", "ls");
            var play = await TshCluster.TshIn(home, "", "play", "--format", "text", "00000000-0000-0000-0000-000000000000");

            Assert.NotEqual(0, list.ExitCode);
            Assert.Contains("access denied to perform action \"list\" on \"session\"", list.Stderr);
            Assert.NotEqual(0, play.ExitCode);
            Assert.Contains("access denied to perform action \"read\" on \"session\"", play.Stderr);
        }
        finally
        {
            home.Delete(recursive: true);
        }
    }

    /// <summary>Waits until <c>tsh recordings ls</c> lists a session whose <c>tsh play --format text</c> shows the marker.</summary>
    private async Task<(string SessionId, string Text)> PlayedRecordingWith(string marker)
    {
        (string, string)? found = null;
        await Eventually.Until(
            async () =>
            {
                var listed = (await cluster.Tsh("recordings", "ls")).EnsureSuccess();
                foreach (var id in SessionId().Matches(listed.Stdout).Select(m => m.Value))
                {
                    var play = await cluster.Tsh("play", "--format", "text", id);
                    if (play.ExitCode == 0 && play.Stdout.Contains(marker, StringComparison.Ordinal))
                    {
                        found = (id, play.Stdout);
                        return true;
                    }
                }

                return false;
            },
            TimeSpan.FromSeconds(90),
            $"a listed recording that plays {marker}");
        return found!.Value;
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")]
    private static partial Regex SessionId();
}
