using System.Globalization;

namespace Teleport.Orleans.Benchmarks.AgentLoad;

/// <summary>The command line: --auth HOST:PORT --identity FILE --proxy HOST:PORT --tunnel HOST:PORT [--nodes N] [--rate R] [--heartbeat admin|node].</summary>
internal sealed record LoadOptions
{
    public required string AuthServer { get; init; }

    public required string AdminIdentity { get; init; }

    /// <summary>The proxy's web address (what an agent's proxy_server names).</summary>
    public required string ProxyServer { get; init; }

    /// <summary>The proxy's tunnel port; agents dial it directly (a real agent learns it from /webapi/ping).</summary>
    public required string TunnelAddress { get; init; }

    public int Nodes { get; init; } = 1000;

    /// <summary>Agents started per second during the ramp.</summary>
    public double Rate { get; init; } = 100;

    /// <summary>
    /// "admin": heartbeats for every host id through one admin channel (the server path a node's heartbeat takes);
    /// "node": each agent heartbeats with its own mTLS identity through its tunnel's auth splice, as a real agent,
    /// which costs two more connections per agent (too many for 10,000 under a 20,000 descriptor limit).
    /// </summary>
    public string Heartbeat { get; init; } = "admin";

    public static LoadOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
        return new LoadOptions
        {
            AuthServer = Required("auth"),
            AdminIdentity = Required("identity"),
            ProxyServer = Required("proxy"),
            TunnelAddress = Required("tunnel"),
            Nodes = values.TryGetValue("nodes", out var nodes) ? int.Parse(nodes, CultureInfo.InvariantCulture) : 1000,
            Rate = values.TryGetValue("rate", out var rate) ? double.Parse(rate, CultureInfo.InvariantCulture) : 100,
            Heartbeat = values.GetValueOrDefault("heartbeat", "admin"),
        };
    }
}
