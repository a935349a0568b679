using Teleport.Orleans.Integration.Tests.Gateway;
using Teleport.Orleans.Integration.Tests.Nodes;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Tunnels;

/// <summary>
/// An all-in-one server with the proxy service and no node of its own, and a node-only process that knows only the
/// proxy's web address (teleport.proxy_server): it joins through the proxy and is reachable only by its tunnel.
/// </summary>
internal sealed class TunnelCluster : IAsyncDisposable
{
    public const string NodeName = "tunnel-node";

    private TunnelCluster(TeleportServer server, string directory)
    {
        Server = server;
        Directory = directory;
    }

    public TeleportServer Server { get; }

    public string Directory { get; }

    public TeleportProcess? Node { get; private set; }

    public OpenSshJump Jump { get; private set; } = null!;

    public static async Task<TunnelCluster> StartAsync(string listenerMode)
    {
        var server = await TeleportServer.StartWithProxyAsync(new ProxySettings { ListenerMode = listenerMode });
        var cluster = new TunnelCluster(server, System.IO.Directory.CreateTempSubdirectory("tunnel-").FullName);
        try
        {
            await cluster.StartNodeAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>ssh -J through the gateway's SSH port to the tunnel node, running <paramref name="command"/>.</summary>
    public Task<CommandResult> Ssh(string command) => Jump.Run(Server.Proxy!.SshPort, NodeName, 3022, command);

    public async ValueTask DisposeAsync()
    {
        if (Node is not null)
        {
            await Node.DisposeAsync();
        }

        await Server.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>
    /// The teleport.yaml of a node that knows only the proxy's web address (teleport.proxy_server), with its data dir
    /// beside the file in <paramref name="directory"/>; returns the file's path.
    /// </summary>
    internal static async Task<string> WriteNodeConfig(string directory, string nodeName, string token, int proxyWebPort)
    {
        var config = Path.Combine(directory, nodeName + ".yaml");
        await File.WriteAllTextAsync(config, $"""
            version: v3
            teleport:
              nodename: {nodeName}
              data_dir: {Path.Combine(directory, nodeName)}
              auth_token: {token}
              proxy_server: 127.0.0.1:{proxyWebPort}
            auth_service:
              enabled: false
            proxy_service:
              enabled: false
            ssh_service:
              enabled: true
              listen_addr: 127.0.0.1:{FreePorts.Take(1)[0]}
            """);
        return config;
    }

    private async Task StartNodeAsync()
    {
        var token = "tok" + Guid.NewGuid().ToString("N");
        (await Server.Tctl("tokens", "add", "--type=node", "--ttl=1h", $"--value={token}")).EnsureSuccess();
        var login = Environment.UserName;
        (await Server.Tctl("users", "add", "jumper", "--roles=access", $"--logins={login}")).EnsureSuccess();
        var key = await ProxyClient.SignUser(Server, "jumper", Directory);
        Jump = new OpenSshJump(Directory, key, login, $"@cert-authority * {(await ProxyClient.HostCa(Server)).ToAuthorizedKeysLine()}\n");

        var config = await WriteNodeConfig(Directory, NodeName, token, Server.Proxy!.WebPort);
        // The proxy's web certificate is self-signed: --insecure, as Teleport's nodes need for one.
        Node = await TeleportProcess.StartWithArgumentsAsync(["--config", config, "--insecure"], NodeCluster.NodeReady);
        if (Node.HasExited)
        {
            throw new InvalidOperationException("the tunnel node exited:\n" + Node.Output);
        }
    }
}
