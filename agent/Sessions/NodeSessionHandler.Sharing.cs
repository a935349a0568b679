using Teleport.Orleans.Agent.Recording;
using Teleport.Orleans.Agent.SharedSessions;
using Teleport.Orleans.Ssh.Connection;

namespace Teleport.Orleans.Agent.Sessions;

internal sealed partial class NodeSessionHandler
{
    /// <summary>
    /// Registers a PTY session for <c>tsh join</c>: peers type through their own descriptor of the terminal (one
    /// write at a time, so keystrokes of two peers never interleave inside a write); notices reach the owner on
    /// stderr (apart from the output pump's stdout) and the recording; a moderator's end cancels
    /// <paramref name="terminated"/>, which hangs the program up as the owner's own disconnect would.
    /// </summary>
    private SharedSession Share(
        NodeSessionInfo session, SshSessionStreams owner, AsciicastRecorder? recorder, Stream peerInput, CancellationTokenSource terminated)
    {
        var typing = new SemaphoreSlim(1, 1);
        var noticing = new SemaphoreSlim(1, 1);
        var shared = new SharedSession
        {
            Info = session,
            WriteInput = async (data, cancellationToken) =>
            {
                await typing.WaitAsync(cancellationToken);
                try
                {
                    await peerInput.WriteAsync(data, cancellationToken);
                }
                finally
                {
                    typing.Release();
                }
            },
            Terminate = () =>
            {
                try
                {
                    terminated.Cancel();
                }
                catch (ObjectDisposedException)
                {
                    // The session ended meanwhile.
                }
            },
            Notify = notice =>
            {
                if (recorder is not null)
                {
                    _ = recorder.OutputAsync(notice, CancellationToken.None).AsTask();
                }

                _ = WriteNoticeAsync(owner.Error, notice, noticing);
            },
        };
        _options.Sessions.Add(shared);
        return shared;
    }

    private static async Task WriteNoticeAsync(Stream stderr, byte[] notice, SemaphoreSlim noticing)
    {
        using var timeout = new CancellationTokenSource(NoticeTimeout);
        try
        {
            await noticing.WaitAsync(timeout.Token);
            try
            {
                await stderr.WriteAsync(notice, timeout.Token);
            }
            finally
            {
                noticing.Release();
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The owner is gone or not reading; the notice still reached the others.
        }
    }
}
