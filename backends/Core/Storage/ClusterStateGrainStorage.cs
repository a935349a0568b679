using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Teleport.Orleans.Backends.Core.Diagnostics;

namespace Teleport.Orleans.Backends.Core.Storage;

/// <summary>Orleans grain storage over any <see cref="IClusterStateStore"/>: serialization and lifecycle live here once.</summary>
public sealed partial class ClusterStateGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly string _name;
    private readonly IClusterStateStore _store;
    private readonly Serializer _serializer;
    private readonly ILogger<ClusterStateGrainStorage> _logger;
    private readonly BackendRequestMetrics? _metrics;

    public ClusterStateGrainStorage(string name, IClusterStateStore store, Serializer serializer, ILogger<ClusterStateGrainStorage> logger, BackendRequestMetrics? metrics = null)
    {
        _metrics = metrics;
        _name = name;
        _store = store;
        _serializer = serializer;
        _logger = logger;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = await Measured(stateName, read: true, () => _store.ReadAsync(stateName, grainId.ToString(), CancellationToken.None));
        if (record is null)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = _serializer.Deserialize<T>(record.Data);
        grainState.ETag = record.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = _serializer.SerializeToArray(grainState.State);
        try
        {
            grainState.ETag = await Measured(stateName, read: false, () => _store.WriteAsync(stateName, grainId.ToString(), data, grainState.ETag, CancellationToken.None));
            grainState.RecordExists = true;
        }
        catch (InconsistentStateException)
        {
            LogConflict(stateName, grainId);
            throw;
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await Measured(stateName, read: false, async () =>
        {
            await _store.ClearAsync(stateName, grainId.ToString(), grainState.ETag, CancellationToken.None);
            return true;
        });
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(ClusterStateGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, _store.InitializeAsync);

    private Task<T> Measured<T>(string stateName, bool read, Func<Task<T>> request) =>
        _metrics is null ? request() : read ? _metrics.TrackRead(stateName, request) : _metrics.TrackWrite(stateName, request);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stale write refused for {StateName} of {GrainId}: another activation wrote first")]
    private partial void LogConflict(string stateName, GrainId grainId);
}
