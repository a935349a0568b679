using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Auth;
using Teleport.Orleans.Contracts.Api;

namespace Teleport.Orleans.Agent.Access;

/// <summary>
/// Keeps the node's copy of the cluster's access policy (roles, locks, user CA keys) current by watching the auth
/// service. The last policy is kept in memory and on disk, so logins keep working while the auth service is down and
/// after a node restart during an outage.
/// </summary>
internal sealed partial class AccessPolicyCache
{
    public const string FileName = "access_policy.json";

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(10);

    /// <summary>A cache written by an older node may hold fields this one no longer reads (roles as YAML): they are skipped.</summary>
    private static readonly JsonParser CacheParser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    private readonly string _path;
    private readonly ILogger<AccessPolicyCache> _logger;
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile AccessPolicySnapshot _current = AccessPolicySnapshot.Empty;

    public AccessPolicyCache(string dataDir, ILogger<AccessPolicyCache> logger)
    {
        _path = Path.Combine(dataDir, FileName);
        _logger = logger;
        LoadFromDisk();
    }

    public AccessPolicySnapshot Current => _current;

    /// <summary>Raised after each applied policy (the access monitor checks running sessions against its locks).</summary>
    public event Action? Applied;

    /// <summary>Completes when a policy has come from the auth service in this process.</summary>
    public Task Received => _received.Task;

    /// <summary>Applies a policy (from the watch, or a test) and persists it.</summary>
    public void Apply(AccessPolicy policy)
    {
        _current = AccessPolicySnapshot.From(policy, LogInvalid);
        LogApplied(_current.Roles.Count, _current.Locks.Count, _current.UserCaKeys.Count);
        Persist(policy);
        _received.TrySetResult();
        Applied?.Invoke();
    }

    /// <summary>Watches the auth service until <paramref name="cancellationToken"/>; reconnects with backoff.</summary>
    public async Task WatchAsync(NodeAuthClient auth, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var call = auth.Client.WatchAccessPolicy(new WatchAccessPolicyRequest(), cancellationToken: cancellationToken);
                await foreach (var policy in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    attempt = 0;
                    Apply(policy);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is RpcException or HttpRequestException or IOException)
            {
                LogWatchFailed(NodeAuthClient.Describe(ex));
            }

            try
            {
                await Task.Delay(Backoff.Delay(attempt++, FirstRetry, MaxRetry), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void LoadFromDisk()
    {
        if (!File.Exists(_path))
        {
            return;
        }

        try
        {
            _current = AccessPolicySnapshot.From(CacheParser.Parse<AccessPolicy>(File.ReadAllText(_path)), LogInvalid);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or IOException)
        {
            // A damaged cache is only a cache: the watch brings the policy back.
            LogCacheUnreadable(_path, ex.Message);
        }
    }

    private void Persist(AccessPolicy policy)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            var temp = _path + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var writer = new StreamWriter(new FileStream(temp, options)))
            {
                writer.Write(JsonFormatter.Default.Format(policy));
            }

            File.Move(temp, _path, overwrite: true);
        }
        catch (IOException ex)
        {
            LogCacheUnwritable(_path, ex.Message);
        }
    }

    private void LogInvalid(string what) => LogInvalidEntry(what);

    [LoggerMessage(Level = LogLevel.Information, Message = "Access policy updated: {Roles} roles, {Locks} locks, {Keys} user CA keys")]
    private partial void LogApplied(int roles, int locks, int keys);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Access policy entry ignored, it does not parse: {What}")]
    private partial void LogInvalidEntry(string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Watching the access policy failed, keeping the last one: {Reason}")]
    private partial void LogWatchFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The cached access policy {Path} is unreadable ({Reason}); waiting for the auth service")]
    private partial void LogCacheUnreadable(string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not save the access policy to {Path}: {Reason}")]
    private partial void LogCacheUnwritable(string path, string reason);
}
