using System.Text.Json.Nodes;
using Teleport.Orleans.Contracts.Resources;
using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>
/// Reads and writes <c>kind: node</c>, version v2. Only agentless OpenSSH nodes (<c>sub_kind: openssh</c>) are created
/// from YAML; agent nodes come from heartbeats, but their <c>tctl get</c> output reads back for inspection.
/// </summary>
internal static class NodeCodec
{
    public static NodeDocument Read(YamlNode node)
    {
        var root = YamlMap.Open(node, "", "kind", "sub_kind", "version", "metadata", "spec");
        ResourceHeader.CheckVersion(root, ResourceKinds.Node, "v2");
        var subKind = root.String("sub_kind") ?? NodeSubKinds.Agent;
        if (subKind is not (NodeSubKinds.Agent or NodeSubKinds.OpenSsh))
        {
            throw ResourceFormatException.At(root.Required("sub_kind"), $"unsupported sub_kind '{subKind}' for kind 'node' (supported: openssh)");
        }

        var metadata = ResourceHeader.Metadata(root, "name", "labels", "expires", "description");
        var name = metadata.RequiredString("name");
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '/'))
        {
            throw ResourceFormatException.At(metadata.Required("name"), "metadata.name must be the host's uuid, without spaces or '/'");
        }

        var spec = YamlMap.Open(root.Required("spec"), "spec", "addr", "hostname", "cmd_labels", "version", "use_tunnel", "public_addrs", "rotation");
        var addr = spec.String("addr") ?? "";
        if (subKind == NodeSubKinds.OpenSsh && addr.Length == 0)
        {
            throw ResourceFormatException.At(spec.KeyOrSelf("addr"), "spec.addr is required for an openssh node (host:port of its sshd)");
        }

        return new NodeDocument(new Node
        {
            Name = name,
            SubKind = subKind,
            Hostname = spec.String("hostname") ?? "",
            Addr = addr,
            Labels = ResourceHeader.Labels(metadata),
            CmdLabels = ReadCommandLabels(spec),
            Version = spec.String("version") ?? "",
            UseTunnel = spec.Bool("use_tunnel") ?? false,
            Expires = UserCodec.ReadTime(metadata, "expires"),
        });
    }

    public static JsonObject Write(Node node)
    {
        var metadata = new JsonObject { ["name"] = node.Name };
        ResourceHeader.SetIfPresent(metadata, "labels", ResourceHeader.Map(node.Labels));
        if (node.Expires is { } expires)
        {
            metadata["expires"] = Rfc3339.Format(expires);
        }

        var spec = new JsonObject { ["addr"] = node.Addr, ["hostname"] = node.Hostname };
        if (node.CmdLabels.Count > 0)
        {
            var labels = new JsonObject();
            foreach (var (key, label) in node.CmdLabels)
            {
                labels[key] = new JsonObject
                {
                    ["command"] = ResourceHeader.List(label.Command),
                    ["period"] = GoDuration.Format(label.Period),
                    ["result"] = label.Result,
                };
            }

            spec["cmd_labels"] = labels;
        }

        if (node.Version.Length > 0)
        {
            spec["version"] = node.Version;
        }

        if (node.UseTunnel)
        {
            spec["use_tunnel"] = true;
        }

        var tree = new JsonObject { ["kind"] = ResourceKinds.Node };
        if (node.SubKind.Length > 0)
        {
            tree["sub_kind"] = node.SubKind;
        }

        tree["version"] = "v2";
        tree["metadata"] = metadata;
        tree["spec"] = spec;
        return tree;
    }

    private static Dictionary<string, CommandLabel> ReadCommandLabels(YamlMap spec)
    {
        var labels = new Dictionary<string, CommandLabel>(StringComparer.Ordinal);
        if (spec.Get("cmd_labels") is not { } node)
        {
            return labels;
        }

        foreach (var (key, _, value) in YamlMap.Entries(node, spec.PathOf("cmd_labels")))
        {
            var label = YamlMap.Open(value, $"{spec.PathOf("cmd_labels")}.{key}", "command", "period", "result");
            var period = TimeSpan.Zero;
            if (label.String("period") is { } text && !GoDuration.TryParse(text, out period, out var error))
            {
                throw ResourceFormatException.At(label.Required("period"), $"{label.PathOf("period")}: {error}");
            }

            labels[key] = new CommandLabel
            {
                Command = [.. label.StringList("command").Select(c => c.Value)],
                Period = period,
                Result = label.String("result") ?? "",
            };
        }

        return labels;
    }
}
