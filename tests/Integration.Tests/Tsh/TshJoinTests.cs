using System.Text.Json;
using System.Text.RegularExpressions;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tsh;

/// <summary>
/// tsh join in real terminals (tmux) on an all-in-one cluster: alice (role access) runs tsh ssh; olga may watch
/// sessions of access users (observer, moderator), peter may pair on them (peer), nora has no join_sessions policy.
/// Each joiner reaches the node through the proxy with Teleport's join login; the node decides.
/// </summary>
public sealed partial class TshJoinTests(TshJoinTests.JoinCluster join) : IClassFixture<TshJoinTests.JoinCluster>
{
    private TshCluster Cluster => join.Cluster;

    [Fact]
    public async Task An_observer_sees_the_screen_and_what_the_owner_types_but_cannot_type()
    {
        await using var owner = await StartOwnerAsync();
        var sessionId = await SessionIdAsync(owner);
        await owner.TypeLineAsync("echo before-$((40+2))-join");
        await owner.WaitForAsync("before-42-join");

        await using var observer = await JoinAsync(join.Olga, sessionId, "observer");
        await observer.WaitForAsync("Joined as observer");
        await observer.WaitForAsync("before-42-join");
        await owner.WaitForAsync("User olga joined the session with participant mode: observer.");
        await Eventually.Until(
            async () => (await TshCluster.TshIn(join.Olga, "", "sessions", "ls")).Stdout.Split('\n').Any(line =>
                line.Contains(sessionId, StringComparison.Ordinal) && line.Contains("alice, olga", StringComparison.Ordinal)
                && line.Contains("observer, moderator", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30),
            "tsh sessions ls listing alice and olga in the session, and olga's join modes");
        await owner.TypeLineAsync("echo typed-by-owner-$((6*7))");
        await observer.WaitForAsync("typed-by-owner-42");
        await observer.TypeLineAsync("echo observer-typed-$((1+1))");
        await owner.TypeLineAsync("echo after-$((2+2))");
        await observer.WaitForAsync("after-4");
        await observer.PressAsync("C-c");
        await observer.WaitForAsync("Left session");
        var ownerScreen = await owner.WaitForAsync("User olga left the session.");

        Assert.DoesNotContain("observer-typed-2", ownerScreen);
        await AuditedAsync("session.join", "T2001I", "olga", sessionId);
        await AuditedAsync("session.leave", "T2003I", "olga", sessionId);
    }

    [Fact]
    public async Task A_peer_types_into_the_session_and_the_recording_keeps_both_users_input()
    {
        await using var owner = await StartOwnerAsync();
        var sessionId = await SessionIdAsync(owner);

        await using var peer = await JoinAsync(join.Peter, sessionId, "peer");
        await owner.WaitForAsync("User peter joined the session with participant mode: peer.");
        await peer.TypeLineAsync("echo typed-by-peer-$((5*5))");
        await owner.WaitForAsync("typed-by-peer-25");
        await owner.TypeLineAsync("exit");
        await owner.WaitForAsync("tsh-exit=0");
        await peer.WaitForAsync("tsh-exit=0");

        string played = "";
        await Eventually.Until(
            async () =>
            {
                var play = await Cluster.Tsh("play", "--format", "text", sessionId);
                played = play.Stdout;
                return play.ExitCode == 0;
            },
            TimeSpan.FromSeconds(60),
            $"the recording of {sessionId}");
        Assert.Contains("echo typed-by-peer-$((5*5))", played);
        Assert.Contains("typed-by-peer-25", played);
        Assert.Contains("echo sid=$SSH_SESSION_ID", played);
        Assert.Contains("User peter joined the session with participant mode: peer.", played);
        await AuditedAsync("session.end", "T2004I", "alice", sessionId, e => e.GetProperty("participants").EnumerateArray().Any(p => p.GetString() == "peter"));
    }

    [Fact]
    public async Task A_moderator_sees_the_screen_since_the_last_clear_and_ends_the_session_for_everyone()
    {
        await using var owner = await StartOwnerAsync();
        var sessionId = await SessionIdAsync(owner);

        await owner.TypeLineAsync("echo gone-$((1+1)); clear; echo top-$((3*3))");
        await owner.WaitForAsync("top-9");

        await using var moderator = await JoinAsync(join.Olga, sessionId, "moderator");
        // The replay starts with the clear screen, so it may wipe tsh's "Joined as moderator" line: wait for the notice.
        var replayed = await moderator.WaitForAsync("participant mode: moderator.");
        Assert.Contains("top-9", replayed);
        Assert.DoesNotContain("gone-2", replayed);
        await owner.WaitForAsync("participant mode: moderator.");
        await moderator.TypeAsync("t");

        await owner.WaitForAsync("User olga forcefully terminated the session.");
        await owner.WaitForAsync("tsh-exit=");
        await moderator.WaitForAsync("tsh-exit=");
    }

    [Fact]
    public async Task Users_without_a_policy_for_the_mode_are_refused_in_a_sentence()
    {
        await using var owner = await StartOwnerAsync();
        var sessionId = await SessionIdAsync(owner);

        var nora = await TshCluster.TshIn(join.Nora, "", "join", sessionId);
        var listedForNora = await TshCluster.TshIn(join.Nora, "", "sessions", "ls");
        var peterAsObserver = await TshCluster.TshIn(join.Peter, "", "join", "--mode", "observer", sessionId);

        Assert.Equal(1, nora.ExitCode);
        Assert.Contains($"There is no active session {sessionId} that you may join", nora.Stderr);
        Assert.DoesNotContain(sessionId, listedForNora.Stdout);
        Assert.NotEqual(0, peterAsObserver.ExitCode);
        Assert.Contains("access denied: peter may join this session of alice only as peer, not as observer", peterAsObserver.Stdout + peterAsObserver.Stderr);
        Assert.DoesNotContain("Exception", peterAsObserver.Stdout + peterAsObserver.Stderr);
    }

    private Task<TmuxTerminal> StartOwnerAsync() =>
        TmuxTerminal.StartAsync($"dotnet {TshCluster.TshDll} ssh {TshCluster.Login}@{TshCluster.NodeName}; echo tsh-exit=$?", Cluster.Home.FullName);

    private static Task<TmuxTerminal> JoinAsync(DirectoryInfo home, string sessionId, string mode) =>
        TmuxTerminal.StartAsync($"dotnet {TshCluster.TshDll} join --mode {mode} {sessionId}; echo tsh-exit=$?", home.FullName);

    /// <summary>The owner's session id (the node sets SSH_SESSION_ID, as Teleport does), once the joiners can list it.</summary>
    private async Task<string> SessionIdAsync(TmuxTerminal owner)
    {
        await owner.TypeLineAsync("echo sid=$SSH_SESSION_ID");
        var screen = await owner.WaitUntilAsync(SessionIdShown().IsMatch, "the session id");
        var sessionId = SessionIdShown().Match(screen).Groups[1].Value;
        await Eventually.Until(
            async () => (await TshCluster.TshIn(join.Olga, "", "sessions", "ls")).Stdout.Contains(sessionId, StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            $"session {sessionId} in olga's tsh sessions ls");
        return sessionId;
    }

    private async Task AuditedAsync(string type, string code, string user, string sessionId, Func<JsonElement, bool>? also = null) =>
        await Eventually.Until(
            async () =>
            {
                var output = (await Cluster.Server.Tctl("events", "ls", $"--type={type}", "--format=json")).EnsureSuccess().Stdout;
                using var document = JsonDocument.Parse(output);
                return document.RootElement.EnumerateArray().Any(e =>
                    Text(e, "code") == code && Text(e, "user") == user && Text(e, "sid") == sessionId && (also is null || also(e)));
            },
            TimeSpan.FromSeconds(30),
            $"{type} ({code}) of {user} in session {sessionId}");

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    [GeneratedRegex("sid=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")]
    private static partial Regex SessionIdShown();

    /// <summary>The cluster of <see cref="TshCluster"/> with the join roles and the three joiners logged in.</summary>
    public sealed class JoinCluster : IAsyncLifetime
    {
        private const string WatchRole = """
            kind: role
            version: v7
            metadata:
              name: watch-access
            spec:
              allow:
                join_sessions:
                - name: watch the sessions of access users
                  roles: [access]
                  kinds: [ssh]
                  modes: [observer, moderator]
            """;

        private const string PairRole = """
            kind: role
            version: v7
            metadata:
              name: pair-access
            spec:
              allow:
                join_sessions:
                - name: pair on the sessions of access users
                  roles: ['acc*']
                  kinds: [ssh]
                  modes: [peer]
            """;

        public TshCluster Cluster { get; } = new();

        public DirectoryInfo Olga { get; } = Directory.CreateTempSubdirectory("tsh-join-olga-");

        public DirectoryInfo Peter { get; } = Directory.CreateTempSubdirectory("tsh-join-peter-");

        public DirectoryInfo Nora { get; } = Directory.CreateTempSubdirectory("tsh-join-nora-");

        public async Task InitializeAsync()
        {
            await Cluster.InitializeAsync();
            foreach (var (name, yaml) in new[] { ("watch-access", WatchRole), ("pair-access", PairRole) })
            {
                var file = Path.Combine(Cluster.Home.FullName, name + ".yaml");
                await File.WriteAllTextAsync(file, yaml);
                (await Cluster.Server.Tctl("create", file)).EnsureSuccess();
            }

            foreach (var (user, roles, home) in new[] { ("olga", "watch-access", Olga), ("peter", "pair-access", Peter), ("nora", "access", Nora) })
            {
                var (_, login) = await Cluster.AddUserAndLoginAsync(user, roles, home);
                login.EnsureSuccess();
            }

            // The node's first heartbeat makes it routable.
            (await Cluster.SshWhenNodeIsRouted($"{TshCluster.Login}@{TshCluster.NodeName}", "true")).EnsureSuccess();
        }

        public async Task DisposeAsync()
        {
            await Cluster.DisposeAsync();
            foreach (var home in new[] { Olga, Peter, Nora })
            {
                home.Delete(recursive: true);
            }
        }
    }
}
