using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Server;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// Our SSH server on 127.0.0.1 (port 0) with an Ed25519 host key, the <see cref="TestSessionHandler"/>, and an
/// authentication callback that accepts <see cref="AuthorizedKeys"/> and certificates from <see cref="UserCas"/>.
/// It owns a temp directory for client keys and known_hosts files.
/// </summary>
internal sealed class TestSshServer : IAsyncDisposable
{
    private readonly SshListener _listener;

    private TestSshServer(SshServerOptions options, TempDirectory directory, ListLogger logs)
    {
        Directory = directory;
        Logs = logs;
        Options = options;
        Server = new SshServer(options);
        _listener = new SshListener(Server, new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Start();
    }

    public TempDirectory Directory { get; }

    public ListLogger Logs { get; }

    public SshServerOptions Options { get; }

    public SshServer Server { get; }

    public SshListener Listener => _listener;

    public int Port => _listener.LocalEndPoint.Port;

    public List<SshPublicKey> AuthorizedKeys { get; } = [];

    public List<SshPublicKey> UserCas { get; } = [];

    /// <summary>The handlers of the sessions opened on a server from <see cref="StartInteractive"/>, in order.</summary>
    public ConcurrentQueue<InteractiveSessionHandler> Sessions { get; } = new();

    /// <summary>The forwarding handlers of the connections on a server started with forwarding, in order.</summary>
    public ConcurrentQueue<TestForwardingHandler> Forwarding { get; } = new();

    /// <summary>Ports the forwarding handlers refuse to listen on.</summary>
    public HashSet<uint> RefusedForwardPorts { get; } = [];

    /// <summary>Every authentication request the callback saw, in order.</summary>
    public List<SshAuthenticationRequest> AuthenticationRequests { get; } = [];

    public static TestSshServer Start(Action<SshServerOptions>? configure = null)
    {
        var logs = new ListLogger();
        var directory = new TempDirectory();
        TestSshServer? server = null;
        var options = new SshServerOptions
        {
            LoggerFactory = logs,
            Authenticate = (request, ct) => server!.AuthenticateAsync(request),
            SessionHandlerFactory = context => new TestSessionHandler(context),
        };
        options.HostKeys.Add(TestKeys.Get(SshKeyType.Ed25519));
        configure?.Invoke(options);
        server = new TestSshServer(options, directory, logs);
        return server;
    }

    /// <summary>
    /// A server whose sessions use the <see cref="InteractiveSessionHandler"/> (pty, shell, sftp, signals) and,
    /// with <paramref name="forwarding"/>, whose connections may forward ports through a <see cref="TestForwardingHandler"/>.
    /// </summary>
    public static TestSshServer StartInteractive(Action<SshServerOptions>? configure = null, bool forwarding = false)
    {
        TestSshServer? server = null;
        server = Start(options =>
        {
            options.SessionHandlerFactory = context =>
            {
                var handler = new InteractiveSessionHandler(context);
                server!.Sessions.Enqueue(handler);
                return handler;
            };
            if (forwarding)
            {
                options.ForwardingHandlerFactory = context =>
                {
                    var handler = new TestForwardingHandler(context, server!.RefusedForwardPorts);
                    server.Forwarding.Enqueue(handler);
                    return handler;
                };
            }

            configure?.Invoke(options);
        });
        return server;
    }

    /// <summary>Writes a client key (OpenSSH format, mode 0600) and returns its path.</summary>
    public string WriteClientKey(SshPrivateKey key, string name = "id")
    {
        var path = Directory.Write(name, key.ToOpenSshPem("client"));
        Directory.Write(name + ".pub", key.PublicKey.ToAuthorizedKeysLine("client") + "\n");
        return path;
    }

    /// <summary>A known_hosts file naming every plain host key for [127.0.0.1]:port.</summary>
    public string WriteKnownHosts()
    {
        var lines = Options.HostKeys.Select(k => $"[127.0.0.1]:{Port} {k.PublicKey.ToAuthorizedKeysLine()}");
        return Directory.Write("known_hosts", string.Join("\n", lines) + "\n");
    }

    /// <summary>
    /// An ssh_config for every host: this server's port, alice with an authorized Ed25519 key, strict host key
    /// checking, batch mode. For scp, sftp and ProxyJump, which pass only -F on to the ssh they run.
    /// </summary>
    public string WriteClientConfig()
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        if (!AuthorizedKeys.Contains(key.PublicKey))
        {
            AuthorizedKeys.Add(key.PublicKey);
        }

        var identity = WriteClientKey(key);
        var knownHosts = WriteKnownHosts();
        return Directory.Write("ssh_config", $"""
            Host *
              Port {Port}
              User alice
              IdentityFile {identity}
              IdentitiesOnly yes
              BatchMode yes
              StrictHostKeyChecking yes
              UserKnownHostsFile {knownHosts}
              GlobalKnownHostsFile /dev/null
              ConnectTimeout 20

            """);
    }

    /// <summary>The usual client arguments: no config, only the given key, strict host key checking, batch mode.</summary>
    public List<string> ClientArguments(string identity, string knownHosts, string user, params string[] extra)
    {
        List<string> arguments =
        [
            "-F", "none",
            "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-i", identity,
            "-o", "IdentitiesOnly=yes",
            "-o", "BatchMode=yes",
            "-o", "StrictHostKeyChecking=yes",
            "-o", "UserKnownHostsFile=" + knownHosts,
            "-o", "GlobalKnownHostsFile=/dev/null",
            "-o", "ConnectTimeout=20",
        ];
        arguments.AddRange(extra);
        arguments.Add(user + "@127.0.0.1");
        return arguments;
    }

    /// <summary>Runs <paramref name="command"/> as alice with an authorized Ed25519 key and the plain host key.</summary>
    public Task<ProcessRun> SshAsync(string command, byte[]? input = null, params string[] extra) => SshAsync(command, input, null, extra);

    /// <summary>As <see cref="SshAsync(string, byte[], string[])"/>, keeping ssh's stdin open until <paramref name="holdInputUntil"/> completes.</summary>
    public Task<ProcessRun> SshAsync(string command, byte[]? input, Task? holdInputUntil, params string[] extra)
    {
        var key = TestKeys.Get(SshKeyType.Ed25519);
        if (!AuthorizedKeys.Contains(key.PublicKey))
        {
            AuthorizedKeys.Add(key.PublicKey);
        }

        var arguments = ClientArguments(WriteClientKey(key), WriteKnownHosts(), "alice", extra);
        arguments.Add(command);
        return OpenSshClient.RunAsync(arguments, input, holdInputUntil);
    }

    public async ValueTask DisposeAsync()
    {
        await _listener.DisposeAsync();
        Directory.Dispose();
    }

    private ValueTask<SshAuthenticationResult> AuthenticateAsync(SshAuthenticationRequest request)
    {
        lock (AuthenticationRequests)
        {
            AuthenticationRequests.Add(request);
        }

        if (request.Certificate is { } certificate)
        {
            var result = new SshCertificateValidator(UserCas).ValidateUser(certificate, request.UserName, request.RemoteAddress);
            return ValueTask.FromResult(result.IsValid ? SshAuthenticationResult.Accept() : SshAuthenticationResult.Reject(result.Reason));
        }

        return ValueTask.FromResult(AuthorizedKeys.Contains(request.PublicKey)
            ? SshAuthenticationResult.Accept()
            : SshAuthenticationResult.Reject("key not authorized"));
    }
}
