namespace Teleport.Orleans.Configuration;

/// <summary>ssh_service: the node agent's SSH server.</summary>
public sealed class SshServiceConfig
{
    /// <summary>enabled: default true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>listen_addr: default 0.0.0.0:3022.</summary>
    public NetAddress ListenAddr { get; init; } = new("0.0.0.0", TeleportDefaults.NodeSshPort);

    /// <summary>public_addr: how the proxy reaches this node when not its own address (default port 3022).</summary>
    public IReadOnlyList<NetAddress> PublicAddrs { get; init; } = [];

    /// <summary>labels: static labels that roles match on (node_labels).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>commands: dynamic labels, each the output of a command re-run every period.</summary>
    public IReadOnlyList<CommandLabelConfig> Commands { get; init; } = [];

    public PamConfig Pam { get; init; } = new();

    public EnhancedRecordingConfig EnhancedRecording { get; init; } = new();

    /// <summary>permit_user_env: read ~/.tsh/environment on login, like sshd's PermitUserEnvironment. Default false.</summary>
    public bool PermitUserEnv { get; init; }
}
