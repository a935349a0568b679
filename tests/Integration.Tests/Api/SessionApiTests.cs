using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Integration.Tests.Support;

namespace Teleport.Orleans.Integration.Tests.Api;

/// <summary>What a node reports about sessions: trackers, audit events, recordings.</summary>
[Collection(ServerCollection.Name)]
public sealed class SessionApiTests(ServerFixture fixture)
{
    private TeleportServer Server => fixture.Server;

    [Fact]
    public async Task Node_cannot_emit_a_user_login_event()
    {
        using var node = await ApiClient.JoinNode(Server);
        using var admin = ApiClient.Admin(Server);
        var marker = Guid.NewGuid().ToString();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await node.Client.EmitAuditEventAsync(new EmitAuditEventRequest
        {
            EventJson = new JsonObject { ["event"] = "user.login", ["code"] = "T1000I", ["user"] = marker, ["success"] = true }.ToJsonString(),
        }));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        var logins = await admin.Client.SearchEventsAsync(new SearchEventsRequest { EventTypes = { "user.login" }, Limit = 1000 });
        Assert.DoesNotContain(logins.Events, e => e.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Session_end_from_a_node_is_stamped_with_its_host_id_and_listed_as_a_recording()
    {
        using var node = await ApiClient.JoinNode(Server);
        using var admin = ApiClient.Admin(Server);
        var sid = Guid.NewGuid().ToString();

        await node.Client.EmitAuditEventAsync(new EmitAuditEventRequest
        {
            // As a node writes it for a recorded terminal session.
            EventJson = new JsonObject
            {
                ["event"] = "session.end",
                ["code"] = "T2004I",
                ["sid"] = sid,
                ["user"] = "alice",
                ["server_id"] = "someone-else",
                ["interactive"] = true,
                ["session_recording"] = "node",
            }.ToJsonString(),
        });

        var listed = await admin.Client.ListRecordingsAsync(new ListRecordingsRequest { Limit = 100 });
        var mine = JsonNode.Parse(Assert.Single(listed.SessionEndEvents, e => e.Contains(sid, StringComparison.Ordinal)))!;
        Assert.Equal(node.Name, mine["server_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tracker_of_a_running_session_is_listed_until_it_terminates()
    {
        using var node = await ApiClient.JoinNode(Server, "tracked");
        using var admin = ApiClient.Admin(Server);
        var tracker = new SessionTracker { SessionId = Guid.NewGuid().ToString(), Kind = "ssh", State = "running", User = "alice", Login = "root", Hostname = "tracked" };

        await node.Client.UpsertSessionTrackerAsync(tracker);
        var running = await admin.Client.ListSessionTrackersAsync(new ListSessionTrackersRequest());
        tracker.State = "terminated";
        await node.Client.UpsertSessionTrackerAsync(tracker);
        var after = await admin.Client.ListSessionTrackersAsync(new ListSessionTrackersRequest());

        var listed = Assert.Single(running.Sessions, s => s.SessionId == tracker.SessionId);
        Assert.Equal(node.Name, listed.NodeId);
        Assert.DoesNotContain(after.Sessions, s => s.SessionId == tracker.SessionId);
    }

    [Fact]
    public async Task Truncated_upload_stores_nothing()
    {
        using var node = await ApiClient.JoinNode(Server);
        var sid = Guid.NewGuid().ToString();
        var bytes = Recording(10_000);

        using (var upload = node.Client.UploadRecording())
        {
            await upload.RequestStream.WriteAsync(new RecordingChunk { SessionId = sid, TotalSize = bytes.Length, Data = ByteString.CopyFrom(bytes, 0, 4000) });
            await upload.RequestStream.CompleteAsync();
            var error = await Assert.ThrowsAsync<RpcException>(async () => await upload.ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        }

        using var admin = ApiClient.Admin(Server);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await Download(admin, sid));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Upload_retry_of_the_same_bytes_succeeds_and_downloads_intact()
    {
        using var node = await ApiClient.JoinNode(Server);
        using var admin = ApiClient.Admin(Server);
        var sid = Guid.NewGuid().ToString();
        var bytes = Recording(200_000);

        var first = await Upload(node, sid, bytes);
        var retry = await Upload(node, sid, bytes);
        var different = await Assert.ThrowsAsync<RpcException>(async () => await Upload(node, sid, Recording(1000)));

        Assert.Equal(bytes.Length, first);
        Assert.Equal(bytes.Length, retry);
        Assert.Equal(StatusCode.AlreadyExists, different.StatusCode);
        Assert.Equal(bytes, await Download(admin, sid));
        var uploads = await admin.Client.SearchEventsAsync(new SearchEventsRequest { EventTypes = { "session.upload" }, Limit = 1000 });
        Assert.Contains(uploads.Events, e => e.Contains(sid, StringComparison.Ordinal) && e.Contains("T2005I", StringComparison.Ordinal));
    }

    [Fact]
    public async Task User_without_a_session_rule_cannot_download_recordings()
    {
        using var admin = ApiClient.Admin(Server);
        var role = "logins-only-" + Guid.NewGuid().ToString("N")[..8];
        await admin.Client.CreateResourceAsync(new CreateResourceRequest
        {
            Yaml = $"kind: role\nversion: v7\nmetadata:\n  name: {role}\nspec:\n  allow:\n    logins: [ubuntu]\n",
        });
        using var user = await ApiClient.User(Server, role);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await Download(user, Guid.NewGuid().ToString()));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    private static byte[] Recording(int size)
    {
        var bytes = new byte[size];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<long> Upload(ApiClient node, string sid, byte[] bytes)
    {
        using var upload = node.Client.UploadRecording();
        for (var offset = 0; offset < bytes.Length; offset += 64 * 1024)
        {
            var chunk = new RecordingChunk { Data = ByteString.CopyFrom(bytes, offset, Math.Min(64 * 1024, bytes.Length - offset)) };
            if (offset == 0)
            {
                chunk.SessionId = sid;
                chunk.TotalSize = bytes.Length;
            }

            await upload.RequestStream.WriteAsync(chunk);
        }

        await upload.RequestStream.CompleteAsync();
        return (await upload.ResponseAsync).Size;
    }

    private static async Task<byte[]> Download(ApiClient client, string sid)
    {
        using var download = client.Client.DownloadRecording(new DownloadRecordingRequest { SessionId = sid });
        using var buffer = new MemoryStream();
        await foreach (var chunk in download.ResponseStream.ReadAllAsync())
        {
            chunk.Data.WriteTo(buffer);
        }

        return buffer.ToArray();
    }
}
