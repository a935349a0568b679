namespace Teleport.Orleans.Tsh.Tests.Support;

/// <summary>How one tsh run ended: exit code and what it printed.</summary>
internal sealed record TshResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
}
