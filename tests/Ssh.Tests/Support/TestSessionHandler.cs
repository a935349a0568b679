using System.Globalization;
using System.Text;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// A tiny command set for the server under test: <c>true</c>, <c>exit N</c>, <c>cat</c>, <c>echo TEXT</c>,
/// <c>split</c> (one line to stdout, one to stderr), <c>whoami</c>, <c>printenv NAME</c>, <c>generate N</c>,
/// <c>crash</c> (the program throws).
/// </summary>
internal sealed class TestSessionHandler(SshSessionContext context) : ISshSessionHandler
{
    private readonly Dictionary<string, string> _environment = [];

    public ValueTask<bool> SetEnvironmentVariableAsync(string name, string value, CancellationToken cancellationToken)
    {
        _environment[name] = value;
        return ValueTask.FromResult(true);
    }

    public ValueTask<SshProgram?> ExecAsync(string command, CancellationToken cancellationToken)
    {
        var parts = command.Split(' ', 2);
        var argument = parts.Length > 1 ? parts[1] : "";
        SshProgram? program = parts[0] switch
        {
            "true" => (_, _) => Task.FromResult(0),
            "exit" => (_, _) => Task.FromResult(int.Parse(argument, CultureInfo.InvariantCulture)),
            "cat" => CatAsync,
            "echo" => (io, ct) => WriteAsync(io.Output, argument + "\n", 0, ct),
            "split" => SplitAsync,
            "whoami" => (io, ct) => WriteAsync(io.Output, context.Connection.UserName + "\n", 0, ct),
            "printenv" => (io, ct) =>
                _environment.TryGetValue(argument, out var value) ? WriteAsync(io.Output, value + "\n", 0, ct) : Task.FromResult(1),
            "generate" => (io, ct) => GenerateAsync(io, long.Parse(argument, CultureInfo.InvariantCulture), ct),
            "crash" => (_, _) => throw new InvalidOperationException("The program crashed."),
            _ => null,
        };
        return ValueTask.FromResult(program);
    }

    /// <summary>Deterministic, non-repeating-looking bytes for transfer checks.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        new Random(12345).NextBytes(bytes);
        return bytes;
    }

    private static async Task<int> CatAsync(SshSessionStreams io, CancellationToken cancellationToken)
    {
        await io.Input.CopyToAsync(io.Output, 64 * 1024, cancellationToken);
        return 0;
    }

    private static async Task<int> SplitAsync(SshSessionStreams io, CancellationToken cancellationToken)
    {
        await WriteAsync(io.Output, "to stdout\n", 0, cancellationToken);
        return await WriteAsync(io.Error, "to stderr\n", 5, cancellationToken);
    }

    /// <summary>Writes <paramref name="length"/> bytes of the repeated 64 KiB <see cref="Pattern"/>.</summary>
    private static async Task<int> GenerateAsync(SshSessionStreams io, long length, CancellationToken cancellationToken)
    {
        var block = Pattern(64 * 1024);
        while (length > 0)
        {
            var count = (int)Math.Min(block.Length, length);
            await io.Output.WriteAsync(block.AsMemory(0, count), cancellationToken);
            length -= count;
        }

        return 0;
    }

    private static async Task<int> WriteAsync(Stream stream, string text, int exitCode, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        return exitCode;
    }
}
