namespace Teleport.Orleans.Contracts.Membership;

/// <summary>
/// How quickly a proxy's Orleans client learns the auth pool's gateways, shared by both sides: the proxies refresh on
/// this schedule and a joining auth server waits it out before it reports ready (the silo's GatewayAnnouncement).
/// </summary>
public static class GatewayDiscovery
{
    /// <summary>How often a proxy asks the auth API for the gateway list.</summary>
    public static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a proxy's client keeps a gateway it saw fail out of rotation although the list still names it
    /// (Orleans' MaxStaleness). The list is the membership's active silos, which drops a killed server within about
    /// 3 s and a leaving one at once, so this need not be long; an auth server restarted at the same address is used
    /// again this long after its previous run was seen to go.
    /// </summary>
    public static readonly TimeSpan FailedGatewayMemory = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a joining auth server waits after it can serve before it reports ready: long enough for every proxy to
    /// have listed it after forgetting an earlier run at the same address (memory, then a refresh), plus the auth API
    /// call behind the refresh. A rolling restart gated on readiness then never stops the next server while a proxy
    /// knows only gateways that are gone.
    /// </summary>
    public static TimeSpan JoinAnnouncement => FailedGatewayMemory + RefreshPeriod + TimeSpan.FromSeconds(2);
}
