using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Postgres;

/// <summary>One PostgreSQL server for all PostgreSQL test classes.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgresql";
}
