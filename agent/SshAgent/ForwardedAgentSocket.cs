using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Agent.Terminal;
using Teleport.Orleans.Ssh.Connection;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.SshAgent;

/// <summary>
/// The SSH_AUTH_SOCK of one session whose client forwards its ssh-agent (ssh -A, tsh ssh -A), as sshd makes it:
/// a Unix socket in a private directory under /tmp, both owned by the login user; each connection a program makes
/// to it becomes an "auth-agent@openssh.com" channel to the client. Disposing stops listening and removes both.
/// </summary>
internal sealed partial class ForwardedAgentSocket : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly string _directory;
    private readonly SshConnectionContext _connection;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;

    private ForwardedAgentSocket(Socket listener, string directory, string path, SshConnectionContext connection, ILogger logger)
    {
        _listener = listener;
        _directory = directory;
        _connection = connection;
        _logger = logger;
        SocketPath = path;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The socket's path: the session's SSH_AUTH_SOCK.</summary>
    public string SocketPath { get; }

    /// <summary>Listens for <paramref name="user"/>'s programs; throws <see cref="IOException"/> when the socket cannot be made.</summary>
    public static ForwardedAgentSocket Create(UnixUser user, SshConnectionContext connection, ILogger logger)
    {
        // CreateTempSubdirectory makes the directory 0700: only its owner (given to the user below) can reach the socket.
        var directory = Directory.CreateTempSubdirectory("teleport-agent-").FullName;
        var path = Path.Combine(directory, "agent.sock");
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(16);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            GiveTo(path, user);
            GiveTo(directory, user);
        }
        catch (Exception exception) when (exception is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            Directory.Delete(directory, recursive: true);
            throw new IOException($"the agent socket could not be made: {exception.Message}", exception);
        }

        return new ForwardedAgentSocket(listener, directory, path, connection, logger);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogRemoveFailed(_logger, _directory, exception.Message);
        }

        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, _connection.Closed);
        while (true)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(ended.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(new NetworkStream(accepted, ownsSocket: true), ended.Token);
        }
    }

    private async Task ForwardAsync(NetworkStream connection, CancellationToken cancellationToken)
    {
        try
        {
            await _connection.ForwardAgentConnectionAsync(connection, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The client refused the channel (no agent) or went away: the program sees its agent connection close.
            LogChannelFailed(_logger, exception.Message);
        }
    }

    private static unsafe void GiveTo(string path, UnixUser user)
    {
        if (!UnixUser.ProcessIsRoot)
        {
            return;
        }

        var encoded = NativeText.Encode(path);
        fixed (byte* pointer = encoded)
        {
            if (Libc.chown(pointer, user.Uid, user.Gid) != 0)
            {
                throw new IOException($"chown({path}) failed with errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "An agent channel to the client failed: {Reason}")]
    private static partial void LogChannelFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the agent socket directory {Directory} failed: {Reason}")]
    private static partial void LogRemoveFailed(ILogger logger, string directory, string reason);
}
