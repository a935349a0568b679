using System.Globalization;
using System.Text;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// A line-editing "shell" for terminal tests. With a pty it does what the terminal driver would: echoes keys,
/// handles backspace and ^C, ends lines with CR LF. It greets with the terminal it got
/// (<c>pty TERM=… size=COLSxROWS VINTR=…</c>), answers a line with <c>you typed: LINE</c>, <c>size</c> with the
/// current size, <c>whoami</c> with the user, and <c>exit N</c> ends it with status N; ^D on an empty line ends it with 0.
/// </summary>
internal sealed class TestShell(InteractiveSessionHandler session, SshSessionContext context)
{
    private readonly bool _terminal = session.Pty is not null;

    private string NewLine => _terminal ? "\r\n" : "\n";

    public async Task<int> RunAsync(SshSessionStreams io, CancellationToken cancellationToken)
    {
        var greeting = session.Pty is { } pty
            ? $"pty TERM={pty.Terminal} size={pty.Size.Columns}x{pty.Size.Rows} VINTR={(pty.Modes.TryGetValue(SshTerminalMode.VINTR, out var intr) ? intr : -1)}"
            : "no pty";
        await WriteAsync(io, greeting + NewLine + "$ ", cancellationToken);
        var line = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var read = await io.Input.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return 0;
            }

            foreach (var c in Encoding.UTF8.GetString(buffer, 0, read))
            {
                switch (c)
                {
                    case '\r' or '\n':
                        if (c == '\n' && _terminal)
                        {
                            break; // a pty client sends CR for Enter; LF alone is not a line end there
                        }

                        await WriteAsync(io, _terminal ? "\r\n" : "", cancellationToken);
                        if (Execute(line.ToString().Trim()) is { } reply)
                        {
                            if (reply.ExitCode is { } code)
                            {
                                return code;
                            }

                            await WriteAsync(io, reply.Text + NewLine, cancellationToken);
                        }

                        line.Clear();
                        await WriteAsync(io, "$ ", cancellationToken);
                        break;
                    case '\x7f' or '\b':
                        if (line.Length > 0)
                        {
                            line.Length--;
                            await WriteAsync(io, _terminal ? "\b \b" : "", cancellationToken);
                        }

                        break;
                    case '\x03':
                        line.Clear();
                        await WriteAsync(io, "^C" + NewLine + "$ ", cancellationToken);
                        break;
                    case '\x04' when line.Length == 0:
                        return 0;
                    default:
                        line.Append(c);
                        await WriteAsync(io, _terminal ? c.ToString() : "", cancellationToken);
                        break;
                }
            }
        }
    }

    private (string Text, int? ExitCode)? Execute(string line)
    {
        var parts = line.Split(' ', 2);
        return parts[0] switch
        {
            "" => null,
            "exit" => ("", parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0),
            "size" => ($"size={session.Size.Columns}x{session.Size.Rows}", null),
            "whoami" => (context.Connection.UserName, null),
            _ => ("you typed: " + line, null),
        };
    }

    private static Task WriteAsync(SshSessionStreams io, string text, CancellationToken cancellationToken) =>
        text.Length == 0 ? Task.CompletedTask : io.Output.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();
}
