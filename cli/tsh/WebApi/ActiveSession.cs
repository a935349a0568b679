using System.Text.Json;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>A running session from <c>GET /v1/webapi/sites/{site}/sessions</c>, with the modes the caller could join it in.</summary>
internal sealed record ActiveSession(
    string Id, string Kind, string Owner, string Login, string NodeId, string Hostname, DateTimeOffset? Created,
    IReadOnlyList<string> Participants, IReadOnlyList<string> Modes)
{
    public static ActiveSession Parse(JsonElement item) => new(
        item.Text("id") ?? "",
        item.Text("kind") ?? "ssh",
        item.Text("owner") ?? "",
        item.Text("login") ?? "",
        item.Text("server_id") ?? "",
        item.Text("server_hostname") ?? "",
        DateTimeOffset.TryParse(item.Text("created"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var created) ? created : null,
        [.. item.Items("parties").Select(p => p.Text("user") ?? "").Where(u => u.Length > 0)],
        [.. item.Strings("participantModes")]);
}
