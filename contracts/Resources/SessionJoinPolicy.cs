namespace Teleport.Orleans.Contracts.Resources;

/// <summary>
/// One <c>join_sessions</c> entry of a role (Teleport's <c>SessionJoinPolicy</c>): the holder may join sessions of
/// the listed <see cref="Kinds"/> started by users holding one of <see cref="Roles"/> (names or globs), in one of
/// <see cref="Modes"/> (observer, moderator, peer).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionJoinPolicy
{
    [Id(0)] public string Name { get; init; } = "";
    [Id(1)] public string[] Roles { get; init; } = [];
    [Id(2)] public string[] Kinds { get; init; } = [];
    [Id(3)] public string[] Modes { get; init; } = [];
}
