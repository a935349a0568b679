using Microsoft.Data.Sqlite;
using Teleport.Orleans.Backends.Core.Membership;
using Teleport.Orleans.Backends.Sqlite.Membership;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Sqlite;

public sealed class SqliteMembershipStoreTests : MembershipTableConformance
{
    private readonly TempDirectory _dir = new();

    protected override Task<IMembershipStore> CreateStoreAsync() =>
        Task.FromResult<IMembershipStore>(new SqliteMembershipStore(Path.Combine(_dir.Path, "backend", "membership.db")));

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
