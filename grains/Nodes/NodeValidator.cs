using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Nodes;

internal static class NodeValidator
{
    public static void Validate(Node node, string key)
    {
        if (!string.Equals(node.Name, key, StringComparison.Ordinal))
        {
            throw AuthException.BadParameter($"node name \"{node.Name}\" does not match \"{key}\"");
        }

        if (node.Name.Length == 0 || node.Name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            throw AuthException.BadParameter("a node's name (its host uuid) must be non-empty, without spaces or '/'");
        }

        if (node.SubKind is not (NodeSubKinds.Agent or NodeSubKinds.OpenSsh))
        {
            throw AuthException.BadParameter($"unsupported node sub_kind \"{node.SubKind}\" (supported: \"\" for agents, openssh)");
        }
    }

    public static void ValidateAgentless(Node node)
    {
        if (node.SubKind != NodeSubKinds.OpenSsh)
        {
            throw AuthException.BadParameter("only sub_kind openssh nodes can be created; agents register themselves by joining");
        }

        if (node.Addr.Length == 0)
        {
            throw AuthException.BadParameter($"agentless node \"{node.Name}\" needs spec.addr (host:port of its sshd)");
        }

        if (node.Hostname.Length == 0)
        {
            throw AuthException.BadParameter($"agentless node \"{node.Name}\" needs spec.hostname");
        }
    }
}
