using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Agent.Access;
using Teleport.Orleans.Agent.Sessions;
using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Agent.Tests.Support;

/// <summary>
/// The real SSH server on 127.0.0.1 (free port) with the node's session and forwarding handlers. Its authentication
/// callback accepts one test key and grants the <see cref="Login"/>: the user "teleport-test" (created by
/// .ci/run) when the tests run as root, so sessions really switch user, otherwise the user running the tests.
/// That user's entry is the real one (uid, gid) with bash as its shell and a private home, since teleport-test has
/// nologin and no home.
/// </summary>
internal sealed class NodeServer : IAsyncDisposable
{
    public const string RootTestUser = "teleport-test";

    private readonly SshListener _listener;
    private readonly SshPrivateKey _hostKey = SshPrivateKey.Generate(SshKeyType.Ed25519);

    public NodeServer(Func<NodeLogin, NodeLogin>? configureLogin = null, bool recordSessions = true, AccessMonitor? monitor = null)
    {
        Root = Directory.CreateTempSubdirectory("agent-tests-").FullName;
        File.SetUnixFileMode(Root, (UnixFileMode)Convert.ToInt32("755", 8));
        var real = UnixUser.Lookup(LoginName) ?? throw new InvalidOperationException("No user " + LoginName);
        Home = Path.Combine(Root, "home");
        Directory.CreateDirectory(Home);
        if (UnixUser.ProcessIsRoot)
        {
            File.SetUnixFileMode(Home, (UnixFileMode)Convert.ToInt32("755", 8));
            Chown(Home, real.Uid, real.Gid);
        }

        User = real with { Shell = "/bin/bash", Home = Home };
        RecordingDirectory = Path.Combine(Root, "recordings");
        ClientKey = SshPrivateKey.Generate(SshKeyType.Ed25519);
        KeyPath = Path.Combine(Root, "id");
        File.WriteAllText(KeyPath, ClientKey.ToOpenSshPem("client"));
        File.SetUnixFileMode(KeyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Login = new NodeLogin
        {
            User = "alice",
            Login = LoginName,
            Roles = ["access"],
            PortForwardingAllowed = true,
            CertificateValidBefore = DateTimeOffset.UtcNow.AddHours(1),
        };
        Login = configureLogin?.Invoke(Login) ?? Login;
        Options = new NodeSessionOptions
        {
            NodeId = Guid.NewGuid().ToString(),
            Hostname = "node-1",
            ClusterName = "test-cluster",
            RecordingDirectory = RecordingDirectory,
            RecordSessions = recordSessions,
        };

        var serverOptions = new SshServerOptions
        {
            Authenticate = (request, _) => ValueTask.FromResult(request.PublicKey.Equals(ClientKey.PublicKey)
                ? SshAuthenticationResult.Accept(Login)
                : SshAuthenticationResult.Reject("unknown key")),
            SessionHandlerFactory = context => new NodeSessionHandler(
                context, Options, Observer, NullLogger.Instance, Endpoint, name => name == User.Name ? User : UnixUser.Lookup(name), monitor),
            ForwardingHandlerFactory = context => new NodeForwardingHandler(context, Observer, NullLogger.Instance, monitor),
            ConnectionStarted = monitor is null ? null : monitor.Watch,
        };
        serverOptions.HostKeys.Add(_hostKey);
        _listener = new SshListener(new SshServer(serverOptions), new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Start();
        KnownHostsPath = Path.Combine(Root, "known_hosts");
        File.WriteAllText(KnownHostsPath, $"[127.0.0.1]:{Port} {_hostKey.PublicKey.ToAuthorizedKeysLine()}\n");
    }

    /// <summary>The host login sessions run as.</summary>
    public static string LoginName => UnixUser.ProcessIsRoot ? RootTestUser : UnixUser.CurrentUserName;

    public string Root { get; }

    public string Home { get; }

    public UnixUser User { get; }

    public string RecordingDirectory { get; }

    public SshPrivateKey ClientKey { get; }

    public string KeyPath { get; }

    public string KnownHostsPath { get; }

    public NodeLogin Login { get; }

    public NodeSessionOptions Options { get; }

    public TestObserver Observer { get; } = new();

    public int Port => _listener.LocalEndPoint.Port;

    public IPEndPoint Endpoint => _listener.LocalEndPoint;

    /// <summary>The OpenSSH client's options for this server (no config file, the test key, the pinned host key).</summary>
    public List<string> SshOptions(params string[] extra)
    {
        List<string> options =
        [
            "-F", "none",
            "-i", KeyPath,
            "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + KnownHostsPath,
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=20",
            "-o", "Port=" + Port.ToString(CultureInfo.InvariantCulture),
        ];
        options.AddRange(extra);
        return options;
    }

    /// <summary>Runs <paramref name="command"/> (null: a shell) with the real ssh client; <paramref name="extra"/> go before the destination.</summary>
    public Task<ProcessRun> SshAsync(string? command, byte[]? input = null, IDictionary<string, string>? environment = null, params string[] extra)
    {
        var arguments = SshOptions(extra);
        arguments.Add(LoginName + "@127.0.0.1");
        if (command is not null)
        {
            arguments.Add(command);
        }

        return ProcessRun.RunAsync("/usr/bin/ssh", arguments, input, environment);
    }

    /// <summary>A connection with the project's own client, for requests OpenSSH does not send (signal, window-change on demand).</summary>
    public Task<SshClient> ConnectAsync() => SshClient.ConnectAsync("127.0.0.1", Port, new SshClientOptions
    {
        UserName = LoginName,
        PrivateKey = ClientKey,
        HostKeyVerifier = SshHostKeyVerifiers.Pinned(_hostKey.PublicKey),
    });

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp dir must not fail a test.
        }
    }

    private static void Chown(string path, uint uid, uint gid)
    {
        var run = ProcessRun.RunAsync("/bin/chown", [$"{uid}:{gid}", path]).GetAwaiter().GetResult();
        Assert.True(run.ExitCode == 0, run.ToString());
    }
}
