namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// One fuzz target: feeds arbitrary bytes to one parser of the SSH library. The library's documented rejection
/// (a <see cref="FormatException"/> or an SSH protocol exception, depending on the layer) is caught inside
/// <see cref="Run"/>; any other exception escapes and counts as a crash, as does a broken round-trip
/// (<see cref="Support.FuzzInvariantException"/>).
/// </summary>
public interface IFuzzTarget
{
    /// <summary>Short name used on the command line and as the corpus folder name.</summary>
    string Name { get; }

    void Run(ReadOnlySpan<byte> data);
}
