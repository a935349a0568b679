using Teleport.Orleans.Agent.Joining;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Agent.Apps;

/// <summary>An app service on its own host: joins with an app token and reaches the cluster through a proxy's reverse tunnel.</summary>
public sealed record AppServiceOptions
{
    /// <summary>teleport.data_dir: the host uuid and the joined identity live here.</summary>
    public required string DataDir { get; init; }

    public required string NodeName { get; init; }

    /// <summary>teleport.proxy_server: host:port of a proxy's web listener; the tunnel and the auth API go through it.</summary>
    public required string ProxyServer { get; init; }

    /// <summary>How to join on the first start (role App); null when the identity in the data dir is reused.</summary>
    internal JoinParameters? Join { get; init; }

    public required IReadOnlyList<App> Apps { get; init; }

    /// <summary>Builds the join parameters: <paramref name="token"/> from <c>tctl tokens add --type=app</c>.</summary>
    public AppServiceOptions WithJoin(string token, IReadOnlyList<string> caPins, bool insecure) => this with
    {
        Join = token.Length == 0 ? null : new JoinParameters
        {
            Token = token,
            Role = "App",
            ProxyServer = ProxyServer,
            CaPins = caPins,
            Insecure = insecure,
            AdditionalPrincipals = [NodeName],
        },
    };
}
