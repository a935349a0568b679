using System.Runtime.Versioning;
using Teleport.Orleans.Cli.Tsh.Terminal;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// A joined session watched in observer or moderator mode, the local terminal in raw mode: output is shown as it
/// arrives and nothing typed reaches the session. As in Teleport, Ctrl-C leaves; a moderator's "t" ends the session
/// for everyone (the "x-teleport-force-terminate" request); the escape sequences (~. to leave, ~?) work as in tsh ssh.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class ObserverTerminalSession(SshSession session, EscapeFilter escapes, bool moderator, Stream stdout, Stream stderr)
{
    /// <summary>Teleport's <c>ForceTerminateRequest</c>.</summary>
    public const string ForceTerminateRequest = "x-teleport-force-terminate";

    private const byte CtrlC = 0x03;

    private readonly TaskCompletionSource _left = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The keys, shown when the session is joined.</summary>
    public string Help() => moderator
        ? "Joined as moderator: you see the session but cannot type. Ctrl-C leaves; t ends the session for everyone.\r\n"
        : "Joined as observer: you see the session but cannot type. Ctrl-C leaves.\r\n";

    /// <summary>How the session ended, or null when this participant left.</summary>
    public async Task<SshExitStatus?> RunAsync(CancellationToken cancellationToken)
    {
        var output = Task.WhenAll(TerminalStreams.CopyOutputAsync(session.StandardOutput, stdout), TerminalStreams.CopyOutputAsync(session.StandardError, stderr));
        var input = new Thread(PumpInput) { IsBackground = true, Name = "tsh join input" };
        input.Start();
        var exit = session.WaitForExitAsync(cancellationToken);
        if (await Task.WhenAny(exit, _left.Task) != exit)
        {
            return null;
        }

        var status = await exit;
        await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        return status;
    }

    private void PumpInput()
    {
        var buffer = new byte[1024];
        while (!_left.Task.IsCompleted)
        {
            var read = TerminalStreams.ReadInput(buffer);
            if (read <= 0)
            {
                // The terminal hung up: nothing is watching any more.
                _left.TrySetResult();
                return;
            }

            foreach (var step in escapes.Filter(buffer.AsSpan(0, (int)read)))
            {
                switch (step.Command)
                {
                    case EscapeCommand.Disconnect:
                        Write($"{EscapeFilter.Display(escapes.EscapeCharacter ?? EscapeCharacter.Default)}.\r\n");
                        _left.TrySetResult();
                        return;
                    case EscapeCommand.Help:
                        Write(escapes.Help());
                        break;
                    case EscapeCommand.None:
                        if (Keys(step.Data))
                        {
                            return;
                        }

                        break;
                }
            }
        }
    }

    /// <summary>Ctrl-C leaves (true); a moderator's t asks the node to end the session; anything else is dropped.</summary>
    private bool Keys(byte[] typed)
    {
        foreach (var key in typed)
        {
            if (key == CtrlC)
            {
                _left.TrySetResult();
                return true;
            }

            if (key == (byte)'t' && moderator)
            {
                Write("Ending the session for everyone...\r\n");
                _ = TerminateAsync();
            }
        }

        return false;
    }

    private async Task TerminateAsync()
    {
        try
        {
            if (!await session.SendRequestAsync(ForceTerminateRequest, wantReply: true))
            {
                Write("The node refused to end the session.\r\n");
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SshConnectionException)
        {
            // The session ended meanwhile.
        }
    }

    private void Write(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        stderr.Write(bytes, 0, bytes.Length);
    }
}
