using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Backends.Core.Resilience;

namespace Teleport.Orleans.Backends.Etcd;

/// <summary>
/// One etcd cluster (<c>peers</c>) under one key prefix (<c>prefix</c>), shared by the cluster-state, membership and
/// audit stores: the client, transient-failure retries and the helpers for transactions. Every conditional write is an
/// etcd transaction comparing revisions, so a key's mod revision serves as its ETag.
/// </summary>
public sealed class EtcdDatabase : IDisposable
{
    public const string BackendName = "etcd";

    /// <summary>Each attempt's deadline: a peer that accepts the connection and then hangs must fail into a retry, not block a grain.</summary>
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(10);

    /// <summary>etcd refuses transactions with more operations than its --max-txn-ops (128 by default).</summary>
    internal const int MaxTxnOps = 128;

    private readonly EtcdClient _client;
    private readonly TransientRetry _retry;

    public EtcdDatabase(IReadOnlyList<string> peers, string prefix, ILogger? logger = null, RetryOptions? retry = null)
    {
        if (peers.Count == 0)
        {
            throw new ArgumentException("etcd needs at least one peer URL", nameof(peers));
        }

        _client = new EtcdClient(string.Join(',', peers));
        Prefix = prefix.TrimEnd('/');
        _retry = new TransientRetry(BackendName, IsTransient, retry, logger ?? NullLogger.Instance);
    }

    public string Prefix { get; }

    /// <summary>Unavailable covers a lost connection and a leader election; the other two, an overloaded or aborted request.</summary>
    public static bool IsTransient(Exception exception) =>
        exception is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Aborted };

    /// <summary>A key under the prefix; the parts are joined with '/'.</summary>
    public ByteString Key(params string[] parts) => ByteString.CopyFromUtf8(Prefix + "/" + string.Join('/', parts));

    /// <summary>The first key after every key that starts with <paramref name="prefix"/>: the end of its range.</summary>
    public static ByteString RangeEnd(ByteString prefix)
    {
        var bytes = prefix.ToByteArray();
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            if (bytes[i] < 0xff)
            {
                bytes[i]++;
                return ByteString.CopyFrom(bytes, 0, i + 1);
            }
        }

        return ByteString.CopyFrom(0);
    }

    public Task<TxnResponse> TxnAsync(string operation, TxnRequest request, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, token => _client.TransactionAsync(request, deadline: Deadline(), cancellationToken: token), cancellationToken);

    public Task<RangeResponse> RangeAsync(string operation, RangeRequest request, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, token => _client.GetAsync(request, deadline: Deadline(), cancellationToken: token), cancellationToken);

    public Task<DeleteRangeResponse> DeleteAsync(string operation, DeleteRangeRequest request, CancellationToken cancellationToken) =>
        _retry.ExecuteAsync(operation, token => _client.DeleteAsync(request, deadline: Deadline(), cancellationToken: token), cancellationToken);

    /// <summary>Fails the start early, with etcd's own error, when no peer answers.</summary>
    public Task CheckReachableAsync(CancellationToken cancellationToken) =>
        RangeAsync("initialize", new RangeRequest { Key = Key(), RangeEnd = RangeEnd(Key()), CountOnly = true }, cancellationToken);

    private static DateTime Deadline() => DateTime.UtcNow + AttemptTimeout;

    public static Compare CreatedAt(ByteString key, long revision) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = revision };

    public static Compare Exists(ByteString key) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Greater, CreateRevision = 0 };

    public static Compare ModifiedAt(ByteString key, long revision) =>
        new() { Key = key, Target = Compare.Types.CompareTarget.Mod, Result = Compare.Types.CompareResult.Equal, ModRevision = revision };

    public static RequestOp Put(ByteString key, ByteString value) => new() { RequestPut = new PutRequest { Key = key, Value = value } };

    public static RequestOp Get(ByteString key) => new() { RequestRange = new RangeRequest { Key = key } };

    public static RequestOp Delete(ByteString key) => new() { RequestDeleteRange = new DeleteRangeRequest { Key = key } };

    public void Dispose() => _client.Dispose();
}
