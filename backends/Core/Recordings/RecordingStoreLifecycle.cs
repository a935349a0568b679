using Orleans.Runtime;

namespace Teleport.Orleans.Backends.Core.Recordings;

/// <summary>Creates the recording directory or bucket before grains run, as the guide requires of every store.</summary>
internal sealed class RecordingStoreLifecycle(IRecordingStore store) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RecordingStoreLifecycle), ServiceLifecycleStage.ApplicationServices, store.InitializeAsync);
}
