namespace Teleport.Orleans.Silo.Hosting;

/// <summary>The cluster-state backends this release runs on.</summary>
public enum StorageKind
{
    /// <summary>SQLite files in the data dir: one auth server, localhost clustering.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: an auth pool, clustered through its membership table.</summary>
    PostgreSql,

    /// <summary>A shared etcd cluster: an auth pool, clustered through its membership keys.</summary>
    Etcd,
}
