using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Teleport.Orleans.Cli.Tsh.Terminal;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// A started PTY session joined to the local terminal in raw mode, as OpenSSH's client loop does it: typed bytes
/// go to the remote side as they come (escape sequences aside), output is written as it arrives, SIGWINCH becomes
/// a "window-change", ~^Z stops tsh and a later SIGCONT puts the terminal back in raw mode.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class TerminalSession(SshSession session, RawTerminal terminal, EscapeFilter escapes, Stream stdout, Stream stderr)
{
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How the remote program ended, or null when the user disconnected with ~.</summary>
    public async Task<SshExitStatus?> RunAsync(CancellationToken cancellationToken)
    {
        using var resize = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, _ => SendWindowSize());
        using var continued = PosixSignalRegistration.Create(PosixSignal.SIGCONT, context =>
        {
            // Cancelled so that .NET does not put back the settings it saw first; raw mode is ours to restore.
            context.Cancel = true;
            if (terminal.IsRaw)
            {
                terminal.Resume();
            }

            SendWindowSize();
        });
        var output = Task.WhenAll(TerminalStreams.CopyOutputAsync(session.StandardOutput, stdout), TerminalStreams.CopyOutputAsync(session.StandardError, stderr));
        var input = new Thread(PumpInput) { IsBackground = true, Name = "tsh terminal input" };
        input.Start();

        var exit = session.WaitForExitAsync(cancellationToken);
        if (await Task.WhenAny(exit, _disconnected.Task) != exit)
        {
            return null;
        }

        SshExitStatus status;
        try
        {
            status = await exit;
        }
        catch (SshConnectionException)
        {
            // Why the node closed the connection may be in the output still being written.
            await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            throw;
        }

        // The last output may still be in flight behind the exit status.
        await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5), cancellationToken));
        return status;
    }

    private void PumpInput()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var read = TerminalStreams.ReadInput(buffer);
                if (read <= 0)
                {
                    // The terminal is gone (hang-up): the remote side reads the end of its input.
                    session.CloseInputAsync().Wait();
                    return;
                }

                foreach (var step in escapes.Filter(buffer.AsSpan(0, (int)read)))
                {
                    if (!Run(step))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SshConnectionException or AggregateException)
        {
            // The session ended while input was being sent: nothing is left to send it to.
        }
    }

    private bool Run(EscapeStep step)
    {
        var escape = EscapeFilter.Display(escapes.EscapeCharacter ?? EscapeCharacter.Default);
        switch (step.Command)
        {
            case EscapeCommand.Disconnect:
                Write($"{escape}.\r\n");
                _disconnected.TrySetResult();
                return false;
            case EscapeCommand.Help:
                Write(escapes.Help());
                return true;
            case EscapeCommand.Suspend:
                Write($"{escape}^Z [suspend tsh]\r\n");
                terminal.Suspend();
                // Stopped here until the shell continues tsh (fg); then back to raw mode, at the size the terminal now has.
                Libc.kill(Environment.ProcessId, Libc.SIGTSTP);
                terminal.Resume();
                SendWindowSize();
                return true;
            default:
                session.StandardInput.Write(step.Data, 0, step.Data.Length);
                return true;
        }
    }

    private void Write(string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        stderr.Write(bytes, 0, bytes.Length);
    }

    private void SendWindowSize() => _ = SendWindowSizeAsync(TerminalSize.Current());

    private async Task SendWindowSizeAsync(SshWindowSize size)
    {
        try
        {
            await session.ChangeWindowSizeAsync(size, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or SshConnectionException)
        {
            // The session is ending; the size no longer matters.
        }
    }
}
