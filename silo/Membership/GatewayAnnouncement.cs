using Orleans.Runtime;
using Teleport.Orleans.Contracts.Membership;

namespace Teleport.Orleans.Silo.Membership;

/// <summary>
/// An auth server that joins a pool already serving is reported ready only once the proxies have had time to learn
/// its Orleans gateway: a proxy asks for the gateway list every few seconds, and a rolling restart that stops the next
/// auth server as soon as this one is ready would otherwise leave a proxy knowing only gateways that are gone (its
/// client then sends to a dead one until its next refresh). A server restarted at its old address is also still in
/// the proxies' memory of failed gateways for a few seconds, which the wait covers too. The first server of a pool is
/// ready at once: every proxy finds it on its first ask.
/// </summary>
public sealed class GatewayAnnouncement(IClusterMembershipService membership, ILocalSiloDetails silo, TimeProvider time)
{
    private long _readyAt;
    private bool _joinedServingPool;

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

            var left = GatewayDiscovery.JoinAnnouncement - time.GetElapsedTime(readyAt);
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
