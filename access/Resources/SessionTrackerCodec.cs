using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Writes <c>kind: session_tracker</c> for <c>tctl get session_trackers</c>; trackers are the nodes' to write.</summary>
internal static class SessionTrackerCodec
{
    public static JsonObject Write(SessionTracker tracker)
    {
        var metadata = new JsonObject { ["name"] = tracker.SessionId, ["expires"] = Rfc3339.Format(tracker.Expires) };
        var spec = new JsonObject
        {
            ["session_id"] = tracker.SessionId,
            ["kind"] = tracker.Kind,
            ["state"] = tracker.State,
            ["created"] = Rfc3339.Format(tracker.Created),
            ["expires"] = Rfc3339.Format(tracker.Expires),
            ["hostname"] = tracker.Hostname,
            ["address"] = tracker.ServerAddr,
            ["login"] = tracker.Login,
            ["participants"] = new JsonArray(new JsonObject { ["user"] = tracker.User }),
            ["cluster_name"] = tracker.ClusterName,
            ["host_id"] = tracker.NodeId,
        };
        if (tracker.Command.Length > 0)
        {
            spec["command"] = tracker.Command;
        }

        return ResourceHeader.Write(ResourceKinds.SessionTracker, "v1", metadata, spec);
    }
}
