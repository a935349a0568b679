using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Benchmarks.AgentLoad;

/// <summary>A session that runs nothing: exec ends at once with status 0, so connect-and-exec times the path, not a shell.</summary>
internal sealed class ExitZero : ISshSessionHandler
{
    public ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken) =>
        ValueTask.FromResult<SshProgram?>((_, _) => Task.FromResult(0));
}
