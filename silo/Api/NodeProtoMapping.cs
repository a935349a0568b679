using Google.Protobuf.WellKnownTypes;
using Proto = Teleport.Orleans.Contracts.Api;
using Resources = Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Silo.Api;

/// <summary>Maps nodes, locks and session trackers between the gRPC messages and the grain contracts.</summary>
internal static class NodeProtoMapping
{
    public static Proto.Node ToProto(this Resources.Node node)
    {
        var proto = new Proto.Node
        {
            Name = node.Name,
            SubKind = node.SubKind,
            Hostname = node.Hostname,
            Addr = node.Addr,
            Version = node.Version,
            UseTunnel = node.UseTunnel,
            TunnelGateway = node.TunnelGateway,
        };
        proto.Labels.Add(node.Labels);
        foreach (var (key, label) in node.CmdLabels)
        {
            var cmd = new Proto.CommandLabel { PeriodSeconds = (long)label.Period.TotalSeconds, Result = label.Result };
            cmd.Command.AddRange(label.Command);
            proto.CmdLabels[key] = cmd;
        }

        if (node.Expires is { } expires)
        {
            proto.Expires = Timestamp.FromDateTimeOffset(expires);
        }

        return proto;
    }

    /// <summary>The node as a heartbeat reports it; the lease and the tunnel holder are the auth service's to set.</summary>
    public static Resources.Node FromProto(this Proto.Node node) => new()
    {
        Name = node.Name,
        SubKind = node.SubKind,
        Hostname = node.Hostname,
        Addr = node.Addr,
        Version = node.Version,
        UseTunnel = node.UseTunnel,
        Labels = new Dictionary<string, string>(node.Labels, StringComparer.Ordinal),
        CmdLabels = node.CmdLabels.ToDictionary(
            entry => entry.Key,
            entry => new Resources.CommandLabel
            {
                Command = [.. entry.Value.Command],
                Period = TimeSpan.FromSeconds(Math.Max(0, entry.Value.PeriodSeconds)),
                Result = entry.Value.Result,
            },
            StringComparer.Ordinal),
    };

    public static Proto.Lock ToProto(this Resources.AccessLock lockResource)
    {
        var proto = new Proto.Lock
        {
            Name = lockResource.Name,
            User = lockResource.Target.User,
            Login = lockResource.Target.Login,
            Node = lockResource.Target.Node,
            Message = lockResource.Message,
            CreatedAt = Timestamp.FromDateTimeOffset(lockResource.CreatedAt),
            CreatedBy = lockResource.CreatedBy,
        };
        if (lockResource.Expires is { } expires)
        {
            proto.Expires = Timestamp.FromDateTimeOffset(expires);
        }

        return proto;
    }

    public static Proto.SessionTracker ToProto(this Resources.SessionTracker tracker) => new()
    {
        SessionId = tracker.SessionId,
        Kind = tracker.Kind,
        State = tracker.State,
        Created = Timestamp.FromDateTimeOffset(tracker.Created),
        Expires = Timestamp.FromDateTimeOffset(tracker.Expires),
        Hostname = tracker.Hostname,
        NodeId = tracker.NodeId,
        Login = tracker.Login,
        User = tracker.User,
        ClusterName = tracker.ClusterName,
        ClientAddr = tracker.ClientAddr,
        ServerAddr = tracker.ServerAddr,
        TerminalSize = tracker.TerminalSize,
        Interactive = tracker.Interactive,
        Command = tracker.Command,
        HostRoles = { tracker.HostRoles },
        Participants = { tracker.Participants.Select(p => new Proto.SessionParticipant { User = p.User, Mode = p.Mode }) },
    };

    public static Resources.SessionTracker FromProto(this Proto.SessionTracker tracker) => new()
    {
        SessionId = tracker.SessionId,
        Kind = tracker.Kind.Length > 0 ? tracker.Kind : "ssh",
        State = tracker.State.Length > 0 ? tracker.State : Resources.SessionStates.Running,
        Created = tracker.Created?.ToDateTimeOffset() ?? default,
        Hostname = tracker.Hostname,
        NodeId = tracker.NodeId,
        Login = tracker.Login,
        User = tracker.User,
        ClusterName = tracker.ClusterName,
        ClientAddr = tracker.ClientAddr,
        ServerAddr = tracker.ServerAddr,
        TerminalSize = tracker.TerminalSize,
        Interactive = tracker.Interactive,
        Command = tracker.Command,
        HostRoles = [.. tracker.HostRoles],
        Participants = [.. tracker.Participants.Select(p => new Resources.SessionParticipant { User = p.User, Mode = p.Mode })],
    };
}
