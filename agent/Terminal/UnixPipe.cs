using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>
/// A pipe for one standard stream of a spawned process. Both ends are close-on-exec: the child gets its end by
/// dup2 in the spawn's file actions, so no other process inherits either. The node's end is a PipeStream, whose
/// asynchronous reads and writes go through the runtime's socket engine (epoll) instead of blocking a thread.
/// </summary>
internal sealed unsafe class UnixPipe : IDisposable
{
    private readonly SafePipeHandle _readEnd;
    private readonly SafePipeHandle _writeEnd;

    private UnixPipe(int readFd, int writeFd)
    {
        _readEnd = new SafePipeHandle(readFd, ownsHandle: true);
        _writeEnd = new SafePipeHandle(writeFd, ownsHandle: true);
    }

    public static UnixPipe Create()
    {
        var fds = stackalloc int[2];
        if (Libc.pipe2(fds, Libc.O_CLOEXEC) < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "pipe2 failed");
        }

        return new UnixPipe(fds[0], fds[1]);
    }

    public int ReadFd => (int)_readEnd.DangerousGetHandle();

    public int WriteFd => (int)_writeEnd.DangerousGetHandle();

    /// <summary>The node reads what the child writes: the child has the write end, which the node closes here.</summary>
    public Stream TakeReader()
    {
        _writeEnd.Dispose();
        return new AnonymousPipeClientStream(PipeDirection.In, _readEnd);
    }

    /// <summary>The node writes what the child reads: the child has the read end, which the node closes here.</summary>
    public Stream TakeWriter()
    {
        _readEnd.Dispose();
        return new AnonymousPipeClientStream(PipeDirection.Out, _writeEnd);
    }

    public void Dispose()
    {
        _readEnd.Dispose();
        _writeEnd.Dispose();
    }
}
