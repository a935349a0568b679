using System.Text.Json;
using System.Text.Json.Serialization;
using Teleport.Orleans.Access.Rbac;
using Teleport.Orleans.Access.Sessions;
using Teleport.Orleans.Gateway.WebApi;

namespace Teleport.Orleans.Gateway.WebTerminal;

/// <summary>
/// The web terminal's <c>params</c> query value, Teleport's shape:
/// <c>{"server_id","login","term":{"w","h"},"sid"?,"mode"?}</c>. A <c>sid</c> joins that running session.
/// </summary>
internal sealed record TerminalRequest
{
    public const int MaxSize = 4095;
    private static readonly string[] JoinModes = [SessionJoinAccess.Observer, SessionJoinAccess.Peer, SessionJoinAccess.Moderator];

    [JsonPropertyName("server_id")] public string ServerId { get; init; } = "";
    [JsonPropertyName("login")] public string Login { get; init; } = "";
    [JsonPropertyName("term")] public TerminalSize Term { get; init; } = new();
    [JsonPropertyName("sid")] public string? SessionId { get; init; }
    [JsonPropertyName("mode")] public string? Mode { get; init; }

    public bool Joining => !string.IsNullOrEmpty(SessionId);

    /// <summary>Parses and checks the request; a <see cref="BadRequestException"/> says what is wrong.</summary>
    public static TerminalRequest Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            throw new BadRequestException("the params query value is required: {\"server_id\",\"login\",\"term\":{\"w\",\"h\"}}");
        }

        TerminalRequest request;
        try
        {
            request = JsonSerializer.Deserialize<TerminalRequest>(text) ?? throw new BadRequestException("params is empty");
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"params is not valid JSON: {ex.Message}");
        }

        if (request.Term.W is < 1 or > MaxSize || request.Term.H is < 1 or > MaxSize)
        {
            throw new BadRequestException($"term.w and term.h must be between 1 and {MaxSize}");
        }

        if (request.Joining)
        {
            if (!SessionIds.IsValid(request.SessionId!))
            {
                throw new BadRequestException($"\"{request.SessionId}\" is not a session id");
            }

            if (request.Mode is { Length: > 0 } mode && !JoinModes.Contains(mode))
            {
                throw new BadRequestException($"mode \"{mode}\" is not one of observer, peer, moderator");
            }

            return request;
        }

        if (request.ServerId.Length == 0 || request.Login.Length == 0)
        {
            throw new BadRequestException("server_id and login are required");
        }

        return request;
    }

    internal sealed record TerminalSize
    {
        [JsonPropertyName("w")] public int W { get; init; }
        [JsonPropertyName("h")] public int H { get; init; }
    }
}
