namespace Teleport.Orleans.Agent.Access;

/// <summary>What login decisions need to know about this node: its identity and its current labels.</summary>
internal sealed class NodeAccessContext(string nodeId, string hostname, Func<IReadOnlyDictionary<string, string>> labels)
{
    public string NodeId { get; } = nodeId;

    public string Hostname { get; } = hostname;

    /// <summary>Static labels merged with the latest command label results.</summary>
    public IReadOnlyDictionary<string, string> Labels() => labels();
}
