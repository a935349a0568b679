namespace Teleport.Orleans.Contracts.Grains;

/// <summary>A piece of a stored recording; <see cref="End"/> says no bytes follow it.</summary>
[GenerateSerializer, Immutable]
public sealed record RecordingSlice
{
    [Id(0)] public required byte[] Data { get; init; }
    [Id(1)] public required bool End { get; init; }
}
