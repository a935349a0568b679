namespace Teleport.Orleans.Agent.Sessions;

/// <summary>What the session handler needs to know about its node; filled by the node service at start.</summary>
internal sealed class NodeSessionOptions
{
    /// <summary>The node's host UUID.</summary>
    public required string NodeId { get; init; }

    public required string Hostname { get; init; }

    public required string ClusterName { get; init; }

    /// <summary>Where recordings are written while sessions run (under the node's data dir), before upload.</summary>
    public required string RecordingDirectory { get; init; }

    /// <summary>Record interactive sessions (session_recording: node); off when the cluster turns recording off.</summary>
    public bool RecordSessions { get; init; } = true;

    /// <summary>OpenSSH's sftp-server, run as the login user for the "sftp" subsystem.</summary>
    public string SftpServerPath { get; init; } = "/usr/lib/openssh/sftp-server";

    /// <summary>The interactive sessions running on this node, which <c>tsh join</c> finds here (one registry per node service).</summary>
    public SharedSessions.ActiveSessions Sessions { get; init; } = new();
}
