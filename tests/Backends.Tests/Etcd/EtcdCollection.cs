using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Etcd;

/// <summary>One etcd server for all etcd test classes.</summary>
[CollectionDefinition(Name)]
public sealed class EtcdCollection : ICollectionFixture<EtcdServer>
{
    public const string Name = "etcd";
}
