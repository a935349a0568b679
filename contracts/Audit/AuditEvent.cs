namespace Teleport.Orleans.Contracts.Audit;

/// <summary>One audit event. <see cref="Json"/> is the whole event in Teleport's JSON shape; the other fields index it.</summary>
[GenerateSerializer, Immutable]
public sealed record AuditEvent
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Type { get; init; }
    [Id(2)] public required string Code { get; init; }
    [Id(3)] public required DateTimeOffset Time { get; init; }
    [Id(4)] public string User { get; init; } = "";
    [Id(5)] public required string Json { get; init; }
}

[GenerateSerializer, Immutable]
public sealed record AuditQuery
{
    [Id(0)] public DateTimeOffset From { get; init; }
    [Id(1)] public DateTimeOffset To { get; init; }
    [Id(2)] public string[] Types { get; init; } = [];
    [Id(3)] public int Limit { get; init; } = 500;
    [Id(4)] public bool Descending { get; init; }
}
