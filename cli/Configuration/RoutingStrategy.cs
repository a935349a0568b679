namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.routing_strategy: what to do when a host name matches several nodes.</summary>
public enum RoutingStrategy
{
    /// <summary>"unambiguous_match": refuse ambiguous names (the default).</summary>
    UnambiguousMatch,

    /// <summary>"most_recent": pick the node that heartbeated last.</summary>
    MostRecent,
}
