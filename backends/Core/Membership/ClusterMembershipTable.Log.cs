using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace Teleport.Orleans.Backends.Core.Membership;

public sealed partial class ClusterMembershipTable
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} defunct silo entries of cluster {ClusterId}")]
    private partial void LogCleanedUp(int count, string clusterId);

    // Expected under contention: Orleans re-reads the table and tries again.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership {Operation} of {Silo} refused: the table moved past {TableVersion}")]
    private partial void LogRefused(string operation, SiloAddress silo, TableVersion tableVersion);
}
