using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>
/// A cluster of real processes on loopback: an auth service (with its own local node unless told otherwise) and
/// node-only processes that join it with tokens. Everything lives in one temporary directory, removed on dispose;
/// every process is stopped by its id.
/// </summary>
internal sealed class NodeCluster : IAsyncDisposable
{
    public const string NodeReady = "[NODE]  SSH service is running.";
    public const string AuthReady = "Auth service is running.";

    private readonly List<TeleportProcess> _processes = [];
    private readonly IReadOnlyDictionary<string, string> _authEnvironment;
    private readonly bool _localNode;

    private NodeCluster(string root, bool localNode, IReadOnlyDictionary<string, string> authEnvironment, string storage)
    {
        Root = root;
        _localNode = localNode;
        _authEnvironment = authEnvironment;
        var ports = FreePorts.Take(3);
        AuthPort = ports[0];
        LocalNodePort = ports[1];
        AuthDataDir = Path.Combine(root, "auth");
        AuthConfigPath = Path.Combine(root, "auth.yaml");
        File.WriteAllText(AuthConfigPath, $"""
            version: v3
            teleport:
              nodename: authnode
              data_dir: {AuthDataDir}
              diag_addr: 127.0.0.1:{ports[2]}
            {storage}
            auth_service:
              enabled: true
              cluster_name: nodes.example.com
              listen_addr: 127.0.0.1:{AuthPort}
              authentication:
                type: local
                second_factor: otp
            proxy_service:
              enabled: false
            ssh_service:
              enabled: {(localNode ? "true" : "false")}
              listen_addr: 127.0.0.1:{LocalNodePort}
              labels:
                env: dev
            """);
    }

    public string Root { get; }

    public int AuthPort { get; }

    public string AuthDataDir { get; }

    public string AuthConfigPath { get; }

    /// <summary>The SSH port of the auth process's own node.</summary>
    public int LocalNodePort { get; }

    public TeleportProcess? Auth { get; private set; }

    /// <param name="nodeTtlSeconds">How long a node stays listed without heartbeats (TELEPORT_TEST_NODE_TTL).</param>
    /// <param name="storage">A <c>storage:</c> section for the auth process's <c>teleport:</c> block, indented by two spaces.</param>
    /// <param name="authEnvironment">Extra environment variables for the auth process (credentials of a store).</param>
    public static async Task<NodeCluster> StartAsync(bool localNode = true, int? nodeTtlSeconds = null, string storage = "", IReadOnlyDictionary<string, string>? authEnvironment = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "teleport-node-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var environment = new Dictionary<string, string>(authEnvironment ?? new Dictionary<string, string>());
        if (nodeTtlSeconds is { } ttl)
        {
            environment["TELEPORT_TEST_NODE_TTL"] = ttl.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var cluster = new NodeCluster(root, localNode, environment, storage);
        try
        {
            await cluster.StartAuthAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public async Task StartAuthAsync()
    {
        var auth = await TeleportProcess.StartAsync(AuthConfigPath, _localNode ? NodeReady : AuthReady, _authEnvironment);
        _processes.Add(auth);
        Auth = auth;
        if (auth.HasExited)
        {
            throw new InvalidOperationException("the auth service exited:\n" + auth.Output);
        }
    }

    public Task<CommandResult> Tctl(params string[] args) => Dotnet.Run(Repository.TctlDll, ["--config", AuthConfigPath, .. args]);

    /// <summary>A node-only configuration that joins this cluster's auth server with <paramref name="token"/>.</summary>
    public NodeConfig WriteNodeConfig(string name, string token, string labelsYaml = "env: dev")
    {
        var port = FreePorts.Take(1)[0];
        var dataDir = Path.Combine(Root, name);
        var path = Path.Combine(Root, name + ".yaml");
        File.WriteAllText(path, $"""
            version: v3
            teleport:
              nodename: {name}
              data_dir: {dataDir}
              auth_token: {token}
              auth_server: 127.0.0.1:{AuthPort}
            auth_service:
              enabled: false
            proxy_service:
              enabled: false
            ssh_service:
              enabled: true
              listen_addr: 127.0.0.1:{port}
              labels:
                {labelsYaml}
            """);
        return new NodeConfig(name, path, dataDir, port);
    }

    /// <summary>Starts a node process; it may have exited already when joining failed.</summary>
    public async Task<TeleportProcess> StartNodeAsync(NodeConfig config)
    {
        var node = await TeleportProcess.StartAsync(config.Path, NodeReady);
        _processes.Add(node);
        return node;
    }

    public async Task<string> AddTokenAsync(string ttl = "1h")
    {
        var token = "tok" + Guid.NewGuid().ToString("N");
        (await Tctl("tokens", "add", "--type=node", $"--ttl={ttl}", $"--value={token}")).EnsureSuccess();
        return token;
    }

    public async Task<string> NodesAsync() => (await Tctl("nodes", "ls")).EnsureSuccess().Stdout;

    /// <summary>Creates resources from YAML with <c>tctl create</c>.</summary>
    public async Task CreateAsync(string yaml)
    {
        var path = Path.Combine(Root, Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(path, yaml);
        (await Tctl("create", "-f", path)).EnsureSuccess();
    }

    /// <summary>A user with <paramref name="roles"/> and an OpenSSH key + certificate from <c>tctl auth sign</c>; returns the key path.</summary>
    public async Task<string> AddUserWithCertificateAsync(string user, string roles, string logins, string ttl = "1h")
    {
        var args = new List<string> { "users", "add", user, $"--roles={roles}" };
        if (logins.Length > 0)
        {
            args.Add($"--logins={logins}");
        }

        (await Tctl([.. args])).EnsureSuccess();
        return await SignAsync(user, ttl);
    }

    public async Task<string> SignAsync(string user, string ttl = "1h")
    {
        var key = Path.Combine(Root, $"{user}-{Guid.NewGuid():N}");
        (await Tctl("auth", "sign", $"--user={user}", $"--ttl={ttl}", "--format=openssh", $"--out={key}")).EnsureSuccess();
        return key;
    }

    /// <summary>The recording the cluster stores for <paramref name="sessionId"/>, or null while there is none.</summary>
    public async Task<string?> DownloadRecordingAsync(string sessionId)
    {
        var identity = global::Teleport.Orleans.AuthClient.IdentityFile.Load(Path.Combine(AuthDataDir, "admin.identity"));
        var client = global::Teleport.Orleans.AuthClient.AuthClientFactory.Create($"127.0.0.1:{AuthPort}", identity, out var channel);
        using (channel)
        {
            try
            {
                using var call = client.DownloadRecording(new global::Teleport.Orleans.Contracts.Api.DownloadRecordingRequest { SessionId = sessionId });
                using var buffer = new MemoryStream();
                while (await call.ResponseStream.MoveNext(CancellationToken.None))
                {
                    call.ResponseStream.Current.Data.WriteTo(buffer);
                }

                return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
            }
            catch (Grpc.Core.RpcException ex) when (ex.StatusCode == Grpc.Core.StatusCode.NotFound)
            {
                return null;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

internal sealed record NodeConfig(string Name, string Path, string DataDir, int Port)
{
    public string HostUuid => File.ReadAllText(System.IO.Path.Combine(DataDir, "host_uuid")).Trim();
}
