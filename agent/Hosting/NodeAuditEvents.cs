namespace Teleport.Orleans.Agent.Hosting;

/// <summary>Teleport's names and codes for the events a node emits (lib/events/api.go, codes.go).</summary>
internal static class NodeAuditEvents
{
    public static readonly (string Name, string Code) SessionStart = ("session.start", "T2000I");
    public static readonly (string Name, string Code) SessionEnd = ("session.end", "T2004I");
    public static readonly (string Name, string Code) Exec = ("exec", "T3002I");
    public static readonly (string Name, string Code) ExecFailure = ("exec", "T3002E");
    public static readonly (string Name, string Code) Subsystem = ("subsystem", "T3001I");
    public static readonly (string Name, string Code) SubsystemFailure = ("subsystem", "T3001E");
    public static readonly (string Name, string Code) Port = ("port", "T3003I");
    public static readonly (string Name, string Code) PortFailure = ("port", "T3003E");
    public static readonly (string Name, string Code) AuthFailure = ("auth", "T3007W");
    public static readonly (string Name, string Code) ClientDisconnect = ("client.disconnect", "T3006I");
    public static readonly (string Name, string Code) SessionRejected = ("session.rejected", "T1006W");
}
