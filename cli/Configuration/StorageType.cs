namespace Teleport.Orleans.Configuration;

/// <summary>teleport.storage.type: the cluster-state backend.</summary>
public enum StorageType
{
    /// <summary>"sqlite" or the legacy "dir": a local SQLite file under data_dir. Single instance only.</summary>
    Sqlite,

    /// <summary>"postgresql" (alias "postgres"), self-hosted or Azure Database for PostgreSQL.</summary>
    PostgreSql,

    /// <summary>"dynamodb".</summary>
    DynamoDb,

    /// <summary>"etcd": cluster state only, audit events must go elsewhere.</summary>
    Etcd,

    /// <summary>"firestore" (Google Cloud).</summary>
    Firestore,

    /// <summary>"cockroachdb".</summary>
    CockroachDb,

    /// <summary>"azure": Azure Table and Blob Storage. A Teleport.Orleans backend with no Teleport equivalent.</summary>
    Azure,
}
