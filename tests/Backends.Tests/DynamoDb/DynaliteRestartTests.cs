using Teleport.Orleans.Backends.Core.Storage;
using Teleport.Orleans.Backends.DynamoDb.Storage;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.DynamoDb;

public sealed class DynaliteRestartTests : ServerRestartConformance<DynaliteServer>
{
    protected override IClusterStateStore CreateStateStore() => new DynamoDbClusterStateStore(Own(Dynalite.Database(Server, retry: QuickRetry)));
}
