using Amazon.Runtime;
using Teleport.Orleans.Backends.Core;
using Teleport.Orleans.Backends.S3.Recordings;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

[Collection(S3rverCollection.Name)]
public sealed class S3SetupTests(S3rverServer server)
{
    [Fact]
    public async Task The_first_start_creates_the_bucket_and_a_second_start_keeps_its_recordings()
    {
        var location = S3rver.Location(server);
        using (var first = new S3RecordingStore(location))
        {
            await first.InitializeAsync(CancellationToken.None);
            await first.UploadAsync("kept", new MemoryStream([1, 2, 3]), CancellationToken.None);
        }

        using var second = new S3RecordingStore(location);
        await second.InitializeAsync(CancellationToken.None);

        Assert.Equal(["kept"], (await second.ListAsync(CancellationToken.None)).Select(r => r.SessionId));
    }

    [Fact]
    public async Task Credentials_the_server_refuses_stop_the_start_naming_the_permission()
    {
        using var store = new S3RecordingStore(S3rver.Location(server) with { Credentials = new BasicAWSCredentials("WRONG", "WRONG") });

        var error = await Assert.ThrowsAsync<BackendSetupException>(() => store.InitializeAsync(CancellationToken.None));

        Assert.Contains("S3 refused s3:GetBucketLocation", error.Message);
    }
}
