using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

/// <summary>One Azurite server for all Azure test classes.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteServer>
{
    public const string Name = "azurite";
}
