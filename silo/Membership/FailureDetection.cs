using Orleans.Configuration;

namespace Teleport.Orleans.Silo.Membership;

/// <summary>Maps <see cref="FailureDetectionOptions"/> onto Orleans' membership protocol.</summary>
internal static class FailureDetection
{
    public static ISiloBuilder UseFailureDetection(this ISiloBuilder silo, FailureDetectionOptions options) =>
        silo.Configure<ClusterMembershipOptions>(membership =>
        {
            membership.ProbeTimeout = options.ProbeTimeout;
            // The adaptive timeout may grow to twice the configured one, not Orleans' four times: a hung peer is found
            // within MissedProbes × 2 × ProbeTimeout.
            membership.MaxProbeTimeout = options.ProbeTimeout * 2;
            membership.NumMissedProbesLimit = options.MissedProbes;
            membership.EnableConnectionLivenessCheck = options.ConnectionLiveness;
            // A silo that is itself starved (its own probes late, its timers lagging) stretches its timeouts rather
            // than voting healthy peers dead.
            membership.ExtendProbeTimeoutDuringDegradation = true;
            // Votes and table reads on the same scale, so a vote is not forgotten before a second one arrives.
            membership.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
            membership.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        });
}
