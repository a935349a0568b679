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

    /// <summary>A shared DynamoDB table: an auth pool, clustered through its membership item.</summary>
    DynamoDb,

    /// <summary>A shared Azure Storage account: cluster state in a Table, clustering through Orleans' Azure Storage clustering.</summary>
    Azure,

    /// <summary>A shared Firestore collection: an auth pool, clustered through its membership documents.</summary>
    Firestore,
}
