namespace Teleport.Orleans.Configuration;

/// <summary>ssh_service.pam: run PAM account and session modules for interactive sessions.</summary>
public sealed class PamConfig
{
    public const string DefaultServiceName = "sshd";

    /// <summary>enabled: default false.</summary>
    public bool Enabled { get; init; }

    /// <summary>service_name: the /etc/pam.d file to use. Default "sshd".</summary>
    public string ServiceName { get; init; } = DefaultServiceName;
}
