using System.Collections.Specialized;
using System.Net;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.TestServers.Gcs;

/// <summary>Resumable uploads: a POST opens a session (checked for ifGenerationMatch=0), PUTs carry Content-Range chunks.</summary>
public sealed partial class FakeGcsJsonApiServer
{
    private async Task<Reply> StartUploadAsync(HttpListenerRequest request, string bucket, NameValueCollection query)
    {
        var body = await ReadBodyAsync(request);
        if (query["uploadType"] != "resumable")
        {
            return Violation($"uploadType={query["uploadType"]}: only resumable uploads are implemented");
        }

        var metadata = body.Length == 0 ? new JsonObject() : JsonNode.Parse(body)?.AsObject() ?? new JsonObject();
        var name = query["name"] ?? metadata["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            return Violation("upload without an object name");
        }

        if (query["ifGenerationMatch"] != "0")
        {
            return Violation($"upload of {name} without ifGenerationMatch=0 (sent: {query["ifGenerationMatch"] ?? "nothing"}): it could replace a stored recording");
        }

        return Guarded("storage.objects.create", bucket, () =>
        {
            if (!_state.BucketExists(bucket))
            {
                return Error(HttpStatusCode.NotFound, "The specified bucket does not exist.", "notFound");
            }

            if (_state.Find(bucket, name) is not null)
            {
                _state.CountPreconditionFailure();
                return Error(HttpStatusCode.PreconditionFailed, "At least one of the pre-conditions you specified did not hold.", "conditionNotMet");
            }

            var userMetadata = metadata["metadata"]?.AsObject().ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "") ?? [];
            var contentType = request.Headers["X-Upload-Content-Type"] ?? metadata["contentType"]?.GetValue<string>() ?? "application/octet-stream";
            var id = _state.OpenUpload(bucket, name, contentType, userMetadata);
            var location = $"{Endpoint}/upload/storage/v1/b/{Uri.EscapeDataString(bucket)}/o?uploadType=resumable&upload_id={id}";
            return new Reply(HttpStatusCode.OK, [], "application/json", new Dictionary<string, string> { ["Location"] = location });
        });
    }

    private async Task<Reply> PutChunkAsync(HttpListenerRequest request, NameValueCollection query)
    {
        var body = await ReadBodyAsync(request);
        if (query["upload_id"] is not { } id || _state.Upload(id) is not { } upload)
        {
            return Violation($"chunk for unknown upload session {query["upload_id"]}");
        }

        if (FakeGcsRanges.ParseContentRange(request.Headers["Content-Range"]) is not var (first, last, total))
        {
            return Violation($"malformed Content-Range '{request.Headers["Content-Range"]}' on the upload of {upload.Name}");
        }

        lock (upload)
        {
            if (first is { } start)
            {
                if (start != upload.Received.Length || last - start + 1 != body.Length)
                {
                    return Violation($"chunk bytes {start}-{last} of {upload.Name} does not continue the {upload.Received.Length} bytes received (body {body.Length})");
                }

                upload.Received.Write(body);
            }

            if (total is not { } size || size != upload.Received.Length)
            {
                var headers = upload.Received.Length == 0 ? [] : new Dictionary<string, string> { ["Range"] = $"bytes=0-{upload.Received.Length - 1}" };
                return new Reply((HttpStatusCode)308, [], "text/plain", headers);
            }

            _state.CloseUpload(id);
            if (_state.CreateObject(upload) is not { } stored)
            {
                _state.CountPreconditionFailure();
                return Error(HttpStatusCode.PreconditionFailed, "At least one of the pre-conditions you specified did not hold.", "conditionNotMet");
            }

            return Json(HttpStatusCode.OK, FakeGcsJson.Object(stored));
        }
    }
}
