using System.Security.Cryptography;

namespace Teleport.Orleans.TestServers.Gcs;

/// <summary>A stored object generation.</summary>
internal sealed record FakeGcsObject(string Bucket, string Name, long Generation, byte[] Content, string ContentType, string Md5, DateTime Created, IReadOnlyDictionary<string, string> Metadata);

/// <summary>An open resumable upload session.</summary>
internal sealed record FakeGcsUpload(string Bucket, string Name, string ContentType, IReadOnlyDictionary<string, string> Metadata)
{
    public MemoryStream Received { get; } = new();
}

/// <summary>Buckets, objects and upload sessions behind one lock: object creation is atomic, as GCS's is.</summary>
internal sealed class FakeGcsState
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _buckets = [];
    private readonly SortedDictionary<(string Bucket, string Name), FakeGcsObject> _objects = [];
    private readonly Dictionary<string, FakeGcsUpload> _uploads = [];
    private readonly List<string> _ranges = [];
    private long _generation = 1_700_000_000_000_000;
    private int _preconditionFailures;

    public IReadOnlyList<string> RangedReads
    {
        get
        {
            lock (_lock)
            {
                return [.. _ranges];
            }
        }
    }

    public int PreconditionFailures => Volatile.Read(ref _preconditionFailures);

    public bool BucketExists(string bucket)
    {
        lock (_lock)
        {
            return _buckets.Contains(bucket);
        }
    }

    public bool CreateBucket(string bucket)
    {
        lock (_lock)
        {
            return _buckets.Add(bucket);
        }
    }

    public FakeGcsObject? Find(string bucket, string name)
    {
        lock (_lock)
        {
            return _objects.GetValueOrDefault((bucket, name));
        }
    }

    public (IReadOnlyList<FakeGcsObject> Page, bool More) List(string bucket, string prefix, string? after, int pageSize)
    {
        lock (_lock)
        {
            var matching = _objects.Values
                .Where(o => o.Bucket == bucket && o.Name.StartsWith(prefix, StringComparison.Ordinal) && (after is null || string.CompareOrdinal(o.Name, after) > 0))
                .OrderBy(o => o.Name, StringComparer.Ordinal)
                .Take(pageSize + 1)
                .ToList();
            return (matching.Take(pageSize).ToList(), matching.Count > pageSize);
        }
    }

    public string OpenUpload(string bucket, string name, string contentType, IReadOnlyDictionary<string, string> metadata)
    {
        var id = Guid.NewGuid().ToString("N");
        lock (_lock)
        {
            _uploads[id] = new FakeGcsUpload(bucket, name, contentType, metadata);
        }

        return id;
    }

    public FakeGcsUpload? Upload(string id)
    {
        lock (_lock)
        {
            return _uploads.GetValueOrDefault(id);
        }
    }

    public void CloseUpload(string id)
    {
        lock (_lock)
        {
            _uploads.Remove(id);
        }
    }

    /// <summary>Creates the object unless one exists (the ifGenerationMatch=0 precondition); null when it did.</summary>
    public FakeGcsObject? CreateObject(FakeGcsUpload upload)
    {
        var content = upload.Received.ToArray();
        lock (_lock)
        {
            if (_objects.ContainsKey((upload.Bucket, upload.Name)))
            {
                return null;
            }

            var stored = new FakeGcsObject(upload.Bucket, upload.Name, ++_generation, content, upload.ContentType, Convert.ToBase64String(MD5.HashData(content)), DateTime.UtcNow, upload.Metadata);
            _objects[(upload.Bucket, upload.Name)] = stored;
            return stored;
        }
    }

    public void RecordRange(string range)
    {
        lock (_lock)
        {
            _ranges.Add(range);
        }
    }

    public void CountPreconditionFailure() => Interlocked.Increment(ref _preconditionFailures);
}
