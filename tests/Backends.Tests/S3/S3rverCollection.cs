using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

/// <summary>One s3rver for all S3 test classes.</summary>
[CollectionDefinition(Name)]
public sealed class S3rverCollection : ICollectionFixture<S3rverServer>
{
    public const string Name = "s3rver";
}
