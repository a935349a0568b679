namespace Teleport.Orleans.Integration.Tests.Support;

internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public CommandResult EnsureSuccess() =>
        ExitCode == 0 ? this : throw new Xunit.Sdk.XunitException($"command failed with {ExitCode}:\n{Stdout}\n{Stderr}");
}
