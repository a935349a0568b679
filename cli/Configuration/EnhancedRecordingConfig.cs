namespace Teleport.Orleans.Configuration;

/// <summary>ssh_service.enhanced_recording: BPF-based recording of commands, files and network activity.</summary>
public sealed class EnhancedRecordingConfig
{
    /// <summary>enabled: default false.</summary>
    public bool Enabled { get; init; }
}
