using System.Runtime.InteropServices;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Cli.Tsh.Terminal;

/// <summary>The local terminal's two directions for an interactive session (tsh ssh, tsh join).</summary>
internal static class TerminalStreams
{
    /// <summary>Copies a session's output to the terminal until either side ends; never throws for an ended session.</summary>
    public static async Task CopyOutputAsync(Stream from, Stream to)
    {
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer)) > 0)
            {
                // A synchronous write: the terminal takes it at once, and a thread-pool hop would add latency to every echo.
                to.Write(buffer, 0, read);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The session or the terminal went away; the caller reports how the session ended.
        }
    }

    /// <summary>
    /// One blocking read of standard input (raw mode: each key as it is typed), retried when a signal (SIGWINCH)
    /// interrupts it. Zero or less means the terminal hung up.
    /// </summary>
    public static unsafe int ReadInput(byte[] buffer)
    {
        while (true)
        {
            nint read;
            fixed (byte* pointer = buffer)
            {
                read = Libc.read(Libc.StandardInput, pointer, (nuint)buffer.Length);
            }

            if (read >= 0 || Marshal.GetLastPInvokeError() != Libc.EINTR)
            {
                return (int)read;
            }
        }
    }
}
