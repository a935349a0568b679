using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using Teleport.Orleans.Access.Audit;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Contracts.Audit;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Grains;
using Teleport.Orleans.Grains.Audit;
using Teleport.Orleans.Grains.Recordings;

namespace Teleport.Orleans.Silo.Api;

internal sealed partial class AuthApiService
{
    private const int RecordingChunkSize = 64 * 1024;

    public override async Task<UploadRecordingResponse> UploadRecording(IAsyncStreamReader<RecordingChunk> requestStream, ServerCallContext context)
    {
        var host = authorizer.AuthorizeHost(context, "Node");
        if (!await requestStream.MoveNext(context.CancellationToken))
        {
            throw AuthException.BadParameter("an upload starts with a chunk that names the session and its total size");
        }

        var first = requestStream.Current;
        var sessionId = SessionIds.Check(first.SessionId);
        if (first.TotalSize < 0)
        {
            throw AuthException.BadParameter("total_size must not be negative");
        }

        // A node stores recordings only of its own sessions (when the session was tracked at all).
        var tracker = await grains.GetGrain<ISessionTrackerGrain>(sessionId).Get();
        if (tracker is not null && !host.MayActFor(tracker.NodeId))
        {
            throw AuthException.AccessDenied($"session \"{sessionId}\" belongs to another node");
        }

        var upload = new RecordingUploadStream(first, requestStream);
        try
        {
            await recordings.UploadAsync(sessionId, upload, context.CancellationToken);
        }
        catch (TruncatedRecordingException ex)
        {
            throw AuthException.BadParameter(ex.Message);
        }
        catch (RecordingConflictException)
        {
            throw AuthException.AlreadyExists($"a different recording of session \"{sessionId}\" is already stored");
        }

        await grains.GetGrain<IAuditLogGrain>(0).Emit(AuditEventFactory.Create(AuditEventTypes.SessionUpload, host.Caller, DateTimeOffset.UtcNow, new JsonObject
        {
            ["sid"] = sessionId,
            ["url"] = $"recording://{sessionId}",
            ["server_id"] = host.HostId,
            ["size"] = upload.Received,
        }));
        return new UploadRecordingResponse { Size = upload.Received };
    }

    public override async Task DownloadRecording(DownloadRecordingRequest request, IServerStreamWriter<RecordingChunk> responseStream, ServerCallContext context)
    {
        await authorizer.AuthorizeUserOrSystem(context, "session", "read", "Proxy");
        var sessionId = SessionIds.Check(request.SessionId);
        await using var recording = await recordings.DownloadAsync(sessionId, context.CancellationToken)
            ?? throw AuthException.NotFound($"no recording of session \"{sessionId}\"");
        var buffer = new byte[RecordingChunkSize];
        var first = true;
        int read;
        do
        {
            read = await recording.ReadAsync(buffer, context.CancellationToken);
            if (read == 0 && !first)
            {
                break;
            }

            var chunk = new RecordingChunk { Data = ByteString.CopyFrom(buffer, 0, read) };
            if (first)
            {
                chunk.SessionId = sessionId;
                chunk.TotalSize = recording.CanSeek ? recording.Length : 0;
                first = false;
            }

            await responseStream.WriteAsync(chunk, context.CancellationToken);
        }
        while (read > 0);
    }

    public override async Task<ListRecordingsResponse> ListRecordings(ListRecordingsRequest request, ServerCallContext context)
    {
        await authorizer.AuthorizeUserOrSystem(context, "session", "list", "Proxy");
        var now = DateTimeOffset.UtcNow;
        var page = await grains.GetGrain<IRecordingReaderGrain>(0).ListSessionEnds(
            request.From?.ToDateTimeOffset() ?? now.AddDays(-30), request.To?.ToDateTimeOffset() ?? now.AddMinutes(1), request.Limit > 0 ? request.Limit : 500, request.StartKey);
        var response = new ListRecordingsResponse { NextKey = page.NextKey };
        response.SessionEndEvents.AddRange(page.Events);
        return response;
    }
}
