using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.TestServers.Gcs;

/// <summary>
/// A fake of Google Cloud Storage's JSON API, in memory on a free loopback port: no GCS emulator can be installed
/// here, so this implements just what Google.Cloud.Storage.V1 sends for recordings (bucket get and create, resumable
/// uploads, object metadata, media reads, paged listing) and CHECKS what it is sent: an upload without
/// <c>ifGenerationMatch=0</c>, a malformed Range or Content-Range, or an unknown route is a protocol violation,
/// answered with 400 and kept in <see cref="Violations"/> for the test to assert on. It is not GCS: no auth, no ACLs,
/// no versioning; <see cref="Deny"/> makes it refuse a named IAM permission the way GCS does (403).
/// </summary>
public sealed partial class FakeGcsJsonApiServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly FakeGcsState _state = new();
    private readonly List<string> _violations = [];
    private readonly HashSet<string> _denied = [];
    private readonly Task _loop;

    public FakeGcsJsonApiServer(int pageSize = 2)
    {
        PageSize = pageSize;
        var port = FreePorts.Take(1)[0];
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The JSON API root, as Teleport's <c>endpoint=</c> takes it.</summary>
    public string Endpoint { get; }

    /// <summary>Objects per list page: small by default, so that a client that ignores nextPageToken loses recordings.</summary>
    public int PageSize { get; }

    /// <summary>Requests that broke the rules above, in arrival order.</summary>
    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_violations)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>Media reads that asked for a byte range, as "bytes=N-" strings.</summary>
    public IReadOnlyList<string> RangedReads => _state.RangedReads;

    /// <summary>Uploads refused because the object existed (412), the proof that a recording was not replaced.</summary>
    public int PreconditionFailures => _state.PreconditionFailures;

    /// <summary>Makes every request needing <paramref name="permission"/> (e.g. storage.buckets.create) fail with 403.</summary>
    public void Deny(string permission)
    {
        lock (_denied)
        {
            _denied.Add(permission);
        }
    }

    public bool BucketExists(string bucket) => _state.BucketExists(bucket);

    /// <summary>The names of the objects stored in <paramref name="bucket"/>.</summary>
    public IReadOnlyList<string> ObjectNames(string bucket) => [.. _state.List(bucket, "", null, int.MaxValue - 1).Page.Select(o => o.Name)];

    public static string UniqueBucket() => "gcs-" + Guid.NewGuid().ToString("N")[..12];

    public async ValueTask DisposeAsync()
    {
        // Close alone: Stop first drops the port's endpoint listener, and Close then looks it up again, binding the
        // port anew (or failing with "address already in use" once another test took it).
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            Reply reply;
            try
            {
                reply = await RouteAsync(context.Request);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or InvalidDataException)
            {
                reply = Violation($"unreadable request {context.Request.HttpMethod} {context.Request.RawUrl}: {ex.Message}");
            }

            response.StatusCode = (int)reply.Status;
            foreach (var (name, value) in reply.Headers)
            {
                if (name == "Location")
                {
                    response.RedirectLocation = value;
                }
                else
                {
                    response.Headers[name] = value;
                }
            }

            response.ContentType = reply.ContentType;
            response.ContentLength64 = reply.Body.Length;
            await response.OutputStream.WriteAsync(reply.Body);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            try
            {
                response.Close();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
            }
        }
    }

    private Task<Reply> RouteAsync(HttpListenerRequest request)
    {
        var raw = request.RawUrl ?? "/";
        var query = System.Web.HttpUtility.ParseQueryString(request.Url?.Query ?? "");
        var segments = raw.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        return (request.HttpMethod, segments) switch
        {
            ("GET", ["storage", "v1", "b", var bucket]) => Task.FromResult(Guarded("storage.buckets.get", bucket, () => GetBucket(bucket))),
            ("POST", ["storage", "v1", "b"]) => CreateBucketAsync(request, query),
            ("GET", ["storage", "v1", "b", var bucket, "o"]) => Task.FromResult(Guarded("storage.objects.list", bucket, () => List(bucket, query))),
            ("GET", ["storage", "v1", "b", var bucket, "o", var name]) => Task.FromResult(Guarded("storage.objects.get", bucket, () => GetObject(request, bucket, name, query))),
            ("POST", ["upload", "storage", "v1", "b", var bucket, "o"]) => StartUploadAsync(request, bucket, query),
            ("PUT", ["upload", "storage", "v1", "b", _, "o"]) => PutChunkAsync(request, query),
            _ => Task.FromResult(Violation($"unsupported request {request.HttpMethod} {raw}")),
        };
    }

    private Reply Guarded(string permission, string bucket, Func<Reply> action)
    {
        lock (_denied)
        {
            if (_denied.Contains(permission))
            {
                return Error(HttpStatusCode.Forbidden, $"fake-caller@example.iam.gserviceaccount.com does not have {permission} access to the Google Cloud Storage bucket. Permission '{permission}' denied on resource (or it may not exist).", "forbidden");
            }
        }

        _ = bucket;
        return action();
    }

    private Reply GetBucket(string bucket) =>
        _state.BucketExists(bucket)
            ? Json(HttpStatusCode.OK, FakeGcsJson.Bucket(bucket))
            : Error(HttpStatusCode.NotFound, "The specified bucket does not exist.", "notFound");

    private async Task<Reply> CreateBucketAsync(HttpListenerRequest request, System.Collections.Specialized.NameValueCollection query)
    {
        var body = await ReadBodyAsync(request);
        var name = JsonNode.Parse(body)?["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(query["project"]) || string.IsNullOrEmpty(name))
        {
            return Violation($"bucket insert without project ({query["project"]}) or name ({name})");
        }

        return Guarded("storage.buckets.create", name, () => _state.CreateBucket(name)
            ? Json(HttpStatusCode.OK, FakeGcsJson.Bucket(name))
            : Error(HttpStatusCode.Conflict, "Your previous request to create the named bucket succeeded and you already own it.", "conflict"));
    }

    private Reply List(string bucket, System.Collections.Specialized.NameValueCollection query)
    {
        if (!_state.BucketExists(bucket))
        {
            return Error(HttpStatusCode.NotFound, "The specified bucket does not exist.", "notFound");
        }

        var after = query["pageToken"] is { } token ? Encoding.UTF8.GetString(Convert.FromBase64String(token)) : null;
        var (page, more) = _state.List(bucket, query["prefix"] ?? "", after, PageSize);
        var json = new JsonObject { ["kind"] = "storage#objects", ["items"] = new JsonArray([.. page.Select(FakeGcsJson.Object)]) };
        if (more)
        {
            json["nextPageToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].Name));
        }

        return Json(HttpStatusCode.OK, json);
    }

    private Reply GetObject(HttpListenerRequest request, string bucket, string name, System.Collections.Specialized.NameValueCollection query)
    {
        if (_state.Find(bucket, name) is not { } stored)
        {
            return Error(HttpStatusCode.NotFound, $"No such object: {bucket}/{name}", "notFound");
        }

        if (query["alt"] != "media")
        {
            return Json(HttpStatusCode.OK, FakeGcsJson.Object(stored));
        }

        var headers = new Dictionary<string, string>
        {
            ["x-goog-generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture),
            ["x-goog-hash"] = "md5=" + stored.Md5,
        };
        if (request.Headers["Range"] is not { } range)
        {
            return new Reply(HttpStatusCode.OK, stored.Content, stored.ContentType, headers);
        }

        if (FakeGcsRanges.Parse(range) is not var (start, end))
        {
            return Violation($"malformed Range header '{range}' on {name}");
        }

        _state.RecordRange(range);
        if (start >= stored.Content.Length)
        {
            return Error(HttpStatusCode.RequestedRangeNotSatisfiable, "The requested range cannot be satisfied.", "requestedRangeNotSatisfiable");
        }

        var last = Math.Min(end ?? long.MaxValue, stored.Content.Length - 1);
        headers["Content-Range"] = $"bytes {start}-{last}/{stored.Content.Length}";
        return new Reply(HttpStatusCode.PartialContent, stored.Content[(int)start..(int)(last + 1)], stored.ContentType, headers);
    }

    private Reply Violation(string what)
    {
        lock (_violations)
        {
            _violations.Add(what);
        }

        return Error(HttpStatusCode.BadRequest, "FakeGcsJsonApiServer: " + what, "invalid");
    }

    /// <summary>The request body, inflated when the client gzipped it (Google's clients do by default).</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var copy = new MemoryStream();
        if (request.Headers["Content-Encoding"] == "gzip")
        {
            await using var inflate = new System.IO.Compression.GZipStream(request.InputStream, System.IO.Compression.CompressionMode.Decompress);
            await inflate.CopyToAsync(copy);
        }
        else
        {
            await request.InputStream.CopyToAsync(copy);
        }

        return copy.ToArray();
    }

    private static Reply Json(HttpStatusCode status, JsonNode json) =>
        new(status, Encoding.UTF8.GetBytes(json.ToJsonString()), "application/json; charset=UTF-8", []);

    /// <summary>GCS's error document: {"error": {"code", "message", "errors": [{"domain", "reason", "message"}]}}.</summary>
    private static Reply Error(HttpStatusCode status, string message, string reason) => Json(status, new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = (int)status,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["domain"] = "global", ["reason"] = reason, ["message"] = message }),
        },
    });

    private sealed record Reply(HttpStatusCode Status, byte[] Body, string ContentType, Dictionary<string, string> Headers);

    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}
