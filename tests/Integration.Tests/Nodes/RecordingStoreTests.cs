using Azure.Storage.Blobs;
using Teleport.Orleans.TestServers;
using Teleport.Orleans.TestServers.Gcs;

namespace Teleport.Orleans.Integration.Tests.Nodes;

/// <summary>
/// A session on the all-in-one process's own node is recorded to each of the four stores <c>audit_sessions_uri</c>
/// names (files, S3, Azure Blob, Google Cloud Storage), into a bucket or container nobody created before the start,
/// and plays back through the auth API from there.
/// </summary>
public sealed class RecordingStoreTests
{
    private const string Login = "teleport-test";

    [Fact]
    public async Task A_session_is_recorded_to_files_in_the_directory_the_uri_names()
    {
        using var records = new TempDirectory("teleport-records-");
        var directory = Path.Combine(records.Path, "sessions");

        var sessionId = await RecordSessionAsync($"""
              storage:
                audit_sessions_uri: "file://{directory}"
            """, new Dictionary<string, string>());

        Assert.Equal([sessionId + ".rec"], Directory.EnumerateFiles(directory).Select(Path.GetFileName));
    }

    [Fact]
    public async Task A_session_is_recorded_to_s3_in_a_bucket_created_at_start()
    {
        await using var s3 = new S3rverServer();
        await s3.InitializeAsync();
        var bucket = S3rverServer.UniqueBucket();
        var credentials = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "S3RVER", ["AWS_SECRET_ACCESS_KEY"] = "S3RVER", ["AWS_EC2_METADATA_DISABLED"] = "true" };

        var sessionId = await RecordSessionAsync($"""
              storage:
                audit_sessions_uri: "s3://{bucket}/records?region=us-east-1&endpoint={s3.Endpoint}&insecure=true"
            """, credentials);

        Assert.Equal([$"records/{sessionId}.tar"], s3.ObjectKeys(bucket));
    }

    [Fact]
    public async Task A_session_is_recorded_to_azure_blob_storage_in_a_container_created_at_start()
    {
        await using var azurite = new AzuriteServer();
        await azurite.InitializeAsync();
        var container = AzuriteServer.UniqueName();
        var connection = new Dictionary<string, string> { ["AZURE_STORAGE_CONNECTION_STRING"] = azurite.ConnectionString };

        var sessionId = await RecordSessionAsync($"""
              storage:
                audit_sessions_uri: "azblob://127.0.0.1/{container}"
            """, connection);

        var blobs = new BlobContainerClient(azurite.ConnectionString, container).GetBlobsAsync();
        Assert.Equal([sessionId + ".tar"], await blobs.Select(b => b.Name).ToListAsync());
    }

    [Fact]
    public async Task A_session_is_recorded_to_google_cloud_storage_in_a_bucket_created_at_start()
    {
        await using var gcs = new FakeGcsJsonApiServer();
        var bucket = FakeGcsJsonApiServer.UniqueBucket();

        var sessionId = await RecordSessionAsync($"""
              storage:
                audit_sessions_uri: "gs://{bucket}?projectID=itest&path=records&endpoint={gcs.Endpoint}"
            """, new Dictionary<string, string>());

        Assert.Equal([$"records/{sessionId}.tar"], gcs.ObjectNames(bucket));
        Assert.Empty(gcs.Violations);
    }

    /// <summary>Runs one PTY session through the local node; returns its id once the auth API plays it back.</summary>
    private static async Task<string> RecordSessionAsync(string storage, IReadOnlyDictionary<string, string> environment)
    {
        await using var cluster = await NodeCluster.StartAsync(storage: storage, authEnvironment: environment);
        var alice = await cluster.AddUserWithCertificateAsync("alice", "access", Login);

        var session = await OpenSsh.Ssh(alice, cluster.LocalNodePort, Login, [], stdin: "echo STORED-$((6*7))\nexit\n", tty: true);
        Assert.Equal(0, session.ExitCode);

        string? sessionId = null;
        await Eventually.Until(() => (sessionId = NodeSshTests.UploadedSessions(cluster.Auth!.Output).FirstOrDefault()) is not null, TimeSpan.FromSeconds(30), "the recording to be uploaded");
        var recording = await cluster.DownloadRecordingAsync(sessionId!);
        NodeSshTests.AssertAsciicast(recording!, "STORED-42");
        Assert.False(Directory.Exists(Path.Combine(cluster.AuthDataDir, "log", "records")) && Directory.EnumerateFiles(Path.Combine(cluster.AuthDataDir, "log", "records")).Any());
        return sessionId!;
    }
}
