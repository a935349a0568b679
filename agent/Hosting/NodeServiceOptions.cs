using System.Net;
using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Agent.Presence;
using Teleport.Orleans.Contracts.Api;
using CommandLabel = Teleport.Orleans.Agent.Presence.CommandLabel;

namespace Teleport.Orleans.Agent.Hosting;

/// <summary>What the node service needs, mapped from teleport.yaml (teleport + ssh_service) by <c>teleport start</c>.</summary>
internal sealed record NodeServiceOptions
{
    public required string DataDir { get; init; }

    /// <summary>teleport.nodename: the hostname the node is listed and addressed by.</summary>
    public required string NodeName { get; init; }

    /// <summary>ssh_service.listen_addr.</summary>
    public required IPEndPoint ListenEndpoint { get; init; }

    /// <summary>host:port the proxies dial (advertise_ip + listen port, or public_addr); empty = the listen address.</summary>
    public string AdvertiseAddress { get; init; } = "";

    /// <summary>host:port of the auth service's gRPC API for everything after joining.</summary>
    public required string AuthServer { get; init; }

    /// <summary>
    /// teleport.proxy_server (web address) of a node with no auth_server: as in Teleport it is a tunnel node. It keeps
    /// a reverse tunnel to the proxy, reaches the auth API through it and is announced with use_tunnel and no address.
    /// </summary>
    public string? TunnelProxy { get; init; }

    /// <summary>How to join when the data dir holds no identity; null when <see cref="LocalJoin"/> is used.</summary>
    public JoinParameters? Join { get; init; }

    /// <summary>The all-in-one process: the auth service in the same process issues the node's certificates, no token.</summary>
    public Func<RegisterUsingTokenRequest, CancellationToken, Task<Certificates>>? LocalJoin { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<CommandLabel> CommandLabels { get; init; } = [];

    public string Version { get; init; } = "";

    public bool RecordSessions { get; init; } = true;

    public string SftpServerPath { get; init; } = "/usr/lib/openssh/sftp-server";

    /// <summary>teleport.connection_limits.max_connections: open SSH connections per client IP.</summary>
    public int MaxConnectionsPerAddress { get; init; } = 15000;

    /// <summary>teleport.connection_limits.max_users: distinct users logged in at once.</summary>
    public int MaxUsers { get; init; } = 250;
}
