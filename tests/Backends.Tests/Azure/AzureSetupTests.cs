using Azure.Data.Tables;
using Azure.Data.Tables.Sas;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using Teleport.Orleans.Backends.Azure;
using Teleport.Orleans.Backends.Azure.Recordings;
using Teleport.Orleans.Backends.Azure.Storage;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Azure;

[Collection(AzuriteCollection.Name)]
public sealed class AzureSetupTests(AzuriteServer server)
{
    [Fact]
    public async Task The_first_start_creates_the_table()
    {
        var table = AzuriteServer.UniqueName();

        await new AzureTableClusterStateStore(new AzureTables(server.ConnectionString), table).InitializeAsync(CancellationToken.None);

        var found = new TableServiceClient(server.ConnectionString).QueryAsync(t => t.Name == table);
        Assert.Single(await found.ToListAsync());
    }

    [Fact]
    public async Task Credentials_that_may_not_create_tables_stop_the_start_naming_the_permission()
    {
        var service = new TableServiceClient(server.ConnectionString);
        var sas = service.GenerateSasUri(TableAccountSasPermissions.Read | TableAccountSasPermissions.List, TableAccountSasResourceTypes.All, DateTimeOffset.UtcNow.AddHours(1));
        var readOnly = $"TableEndpoint={service.Uri};SharedAccessSignature={sas.Query.TrimStart('?')}";

        var error = await Assert.ThrowsAsync<BackendSetupException>(() =>
            new AzureTableClusterStateStore(new AzureTables(readOnly), AzuriteServer.UniqueName()).InitializeAsync(CancellationToken.None));

        Assert.Contains("table create permission", error.Message);
    }

    [Fact]
    public async Task Credentials_that_may_not_create_tables_start_on_a_table_created_beforehand()
    {
        var table = AzuriteServer.UniqueName();
        var service = new TableServiceClient(server.ConnectionString);
        await service.CreateTableAsync(table);
        var sas = service.GenerateSasUri(TableAccountSasPermissions.Read | TableAccountSasPermissions.List | TableAccountSasPermissions.Write | TableAccountSasPermissions.Add | TableAccountSasPermissions.Update, TableAccountSasResourceTypes.All, DateTimeOffset.UtcNow.AddHours(1));
        var store = new AzureTableClusterStateStore(new AzureTables($"TableEndpoint={service.Uri};SharedAccessSignature={sas.Query.TrimStart('?')}"), table);

        await store.InitializeAsync(CancellationToken.None);

        await store.WriteAsync("user", "alice", new byte[] { 1, 2, 3 }, null, CancellationToken.None);
        Assert.Equal([1, 2, 3], (await store.ReadAsync("user", "alice", CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task Credentials_that_may_not_create_containers_stop_the_start_naming_the_permission_unless_the_container_exists()
    {
        var blobs = new BlobServiceClient(server.ConnectionString);
        var objectsOnly = blobs.GenerateAccountSasUri(AccountSasPermissions.Read | AccountSasPermissions.Write | AccountSasPermissions.Create | AccountSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1), AccountSasResourceTypes.Object);
        var existing = (await blobs.CreateBlobContainerAsync(AzuriteServer.UniqueName())).Value;
        var containerOnly = existing.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Create | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1));

        var error = await Assert.ThrowsAsync<BackendSetupException>(() =>
            new AzureBlobRecordingStore(SasConnection(blobs, objectsOnly), AzuriteServer.UniqueName()).InitializeAsync(CancellationToken.None));
        var store = new AzureBlobRecordingStore(SasConnection(blobs, containerOnly), existing.Name);
        await store.InitializeAsync(CancellationToken.None);
        await store.UploadAsync("kept", new MemoryStream([1, 2, 3]), CancellationToken.None);

        Assert.Contains("container create permission", error.Message);
        Assert.Equal("kept", Assert.Single(await store.ListAsync(CancellationToken.None)).SessionId);
    }

    private static string SasConnection(BlobServiceClient blobs, Uri sas) => $"BlobEndpoint={blobs.Uri};SharedAccessSignature={sas.Query.TrimStart('?')}";

    [Fact]
    public void A_malformed_connection_string_is_refused_with_the_reason()
    {
        Assert.Contains("connection string", Assert.Throws<ArgumentException>(() => new AzureTables("not a connection string")).Message);
        Assert.Contains("connection string", Assert.Throws<ArgumentException>(() => new AzureTables("")).Message);
    }
}
