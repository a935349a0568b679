using Orleans.Runtime;

namespace Teleport.Orleans.Silo.Membership;

/// <summary>
/// An auth server that joins a pool already serving is reported ready only once the proxies have had time to learn
/// its Orleans gateway: a proxy asks for the gateway list every few seconds, and a rolling restart that stops the next
/// auth server as soon as this one is ready would otherwise leave a proxy knowing only gateways that are gone (its
/// client then sends to a dead one until its next refresh). The first server of a pool is ready at once: every
/// proxy finds it on its first ask.
/// </summary>
public sealed class GatewayAnnouncement(IClusterMembershipService membership, ILocalSiloDetails silo, TimeProvider time)
{
    private long _readyAt;
    private bool _joinedServingPool;

    /// <summary>
    /// The wait after bootstrap before /readyz passes: the proxies' gateway list refresh
    /// (<c>GatewayClientExtensions</c>, 5 s), the auth API call behind it, and a margin.
    /// </summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(7);

    /// <summary>Called once the auth service can serve; notes whether other auth servers were already active.</summary>
    public void Bootstrapped()
    {
        _joinedServingPool = membership.CurrentSnapshot.Members.Values
            .Any(m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress));
        Volatile.Write(ref _readyAt, time.GetTimestamp());
    }

    /// <summary>How long /readyz should still fail for the proxies to learn this server; zero once they have had time.</summary>
    public TimeSpan Remaining
    {
        get
        {
            var readyAt = Volatile.Read(ref _readyAt);
            if (readyAt == 0 || !_joinedServingPool)
            {
                return TimeSpan.Zero;
            }

            var left = Period - time.GetElapsedTime(readyAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
