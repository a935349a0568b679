using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Hosting;
using Teleport.Orleans.Backends.Postgres.Audit;
using Teleport.Orleans.Backends.Postgres.Membership;
using Teleport.Orleans.Backends.Postgres.Storage;

namespace Teleport.Orleans.Backends.Postgres.Hosting;

public static class PostgresBackendSiloBuilderExtensions
{
    /// <summary>
    /// Cluster state, audit events and (with <paramref name="clustering"/>) Orleans membership in one PostgreSQL
    /// database: the auth pool's shared backend. Tables are created at start when missing. Audit events may go to a
    /// database of their own (<paramref name="auditConnectionString"/>), as Teleport's <c>audit_events_uri</c> allows.
    /// </summary>
    public static ISiloBuilder UsePostgresBackend(this ISiloBuilder builder, string connectionString, string storageName, bool clustering, string? auditConnectionString = null)
    {
        builder.ConfigureServices(services => services.AddSingleton(sp => new PostgresDatabase(connectionString, sp.GetRequiredService<ILogger<PostgresDatabase>>())));
        builder.AddClusterStateStorage(storageName, sp => new PostgresClusterStateStore(sp.GetRequiredService<PostgresDatabase>()));
        builder.AddAuditEventStore(sp => new PostgresAuditEventStore(auditConnectionString is null
            ? sp.GetRequiredService<PostgresDatabase>()
            : new PostgresDatabase(auditConnectionString, sp.GetRequiredService<ILogger<PostgresDatabase>>())));
        if (clustering)
        {
            builder.UseClusterMembership(sp => new PostgresMembershipStore(sp.GetRequiredService<PostgresDatabase>()));
        }

        return builder;
    }
}
