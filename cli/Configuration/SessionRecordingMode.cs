namespace Teleport.Orleans.Configuration;

/// <summary>auth_service.session_recording: where sessions are recorded and whether recording is synchronous.</summary>
public enum SessionRecordingMode
{
    /// <summary>"node": recorded on the node, uploaded when the session ends (the default).</summary>
    Node,

    /// <summary>"node-sync": the node streams each event to Auth; the session ends if an event cannot be recorded.</summary>
    NodeSync,

    /// <summary>"proxy": the proxy terminates SSH and records; needed for agentless OpenSSH nodes.</summary>
    Proxy,

    /// <summary>"proxy-sync".</summary>
    ProxySync,

    /// <summary>"off": no recordings (audit events are still written).</summary>
    Off,
}
