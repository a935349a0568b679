using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Teleport.Orleans.Access.Rbac;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>
/// One page of the node listing as JSON: <c>{"items":[...],"startKey":"...","totalCount":N}</c>, each item a node with
/// the logins the caller may use there. A node's own members are serialised once per index entry
/// (<see cref="NodeListIndex.Entry.Json"/>) and the logins once per label set per page, so a page of 1,000 is mostly
/// copying bytes: tsh ls asks for ten of them on a cluster of 10,000 nodes.
/// </summary>
internal sealed class NodeListPage(IReadOnlyList<NodeListIndex.Entry> items, RoleSet roles, string site, string startKey, int totalCount) : IResult
{
    // Flushed in pieces of about this size, so a large page streams instead of collecting in the pipe.
    private const int FlushBytes = 32 * 1024;

    private static readonly JsonWriterOptions s_options = new() { SkipValidation = true };

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = "application/json; charset=utf-8";
        var body = response.BodyWriter;
        var cancellation = httpContext.RequestAborted;
        var siteMember = Member("siteId", site);
        var logins = new Dictionary<int, byte[]>();
        body.Write("{\"items\":["u8);
        for (var i = 0; i < items.Count; i++)
        {
            var entry = items[i];
            if (!logins.TryGetValue(entry.LabelSet, out var loginsMember))
            {
                loginsMember = LoginsMember(roles.LoginsOn(entry.Labels));
                logins.Add(entry.LabelSet, loginsMember);
            }

            body.Write(i == 0 ? "{"u8 : ",{"u8);
            body.Write(entry.Json);
            body.Write(siteMember);
            body.Write(loginsMember);
            body.Write("}"u8);
            if (body.UnflushedBytes >= FlushBytes)
            {
                await Flush(body, cancellation);
            }
        }

        body.Write("]"u8);
        body.Write(Member("startKey", startKey));
        body.Write(",\"totalCount\":"u8);
        body.Write(Encoding.ASCII.GetBytes(totalCount.ToString(CultureInfo.InvariantCulture)));
        body.Write("}"u8);
        await Flush(body, cancellation);
    }

    /// <summary>
    /// A node's own members, without braces: kind, subKind, id, name, hostname, addr, tunnel and its labels as
    /// <c>[{name, value}]</c> sorted by name (Teleport's web API shape).
    /// </summary>
    public static byte[] NodeMembers(Contracts.Resources.Node node, IReadOnlyDictionary<string, string> labels)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", "node");
            writer.WriteString("subKind", node.SubKind);
            writer.WriteString("id", node.Name);
            writer.WriteString("name", node.Name);
            writer.WriteString("hostname", node.Hostname);
            writer.WriteString("addr", node.Addr);
            writer.WriteBoolean("tunnel", node.UseTunnel);
            writer.WriteStartArray("labels");
            foreach (var (name, value) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("value", value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        // Without the object's braces: the page adds the caller's members before closing it.
        return buffer.WrittenSpan[1..^1].ToArray();
    }

    /// <summary><c>,"name":"value"</c>, escaped as JSON.</summary>
    private static byte[] Member(string name, string value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        buffer.Write(","u8);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStringValue(name);
        }

        buffer.Write(":"u8);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStringValue(value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>,"sshLogins":["root",...]</c>.</summary>
    private static byte[] LoginsMember(string[] logins)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        buffer.Write(",\"sshLogins\":"u8);
        using (var writer = new Utf8JsonWriter(buffer, s_options))
        {
            writer.WriteStartArray();
            foreach (var login in logins)
            {
                writer.WriteStringValue(login);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static async ValueTask Flush(PipeWriter body, CancellationToken cancellation)
    {
        var result = await body.FlushAsync(cancellation);
        if (result.IsCanceled || result.IsCompleted)
        {
            // The client went away; the rest of the page has nowhere to go.
            throw new OperationCanceledException(cancellation);
        }
    }
}
