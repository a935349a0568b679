using System.Buffers.Binary;
using System.Collections.Concurrent;
using Teleport.Orleans.Ssh.Client;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>
/// A compact SFTP version 3 client (the protocol OpenSSH's sftp-server speaks): paths, attributes, files and
/// directories, with many requests in flight at once so transfers are not bound by the round trip.
/// Failures answered by the server are <see cref="SftpException"/>; a lost connection is an <see cref="IOException"/>.
/// </summary>
public sealed partial class SftpClient : IAsyncDisposable
{
    private const uint ProtocolVersion = 3;

    /// <summary>The largest packet accepted from the server (OpenSSH's limit is 256 KiB).</summary>
    private const int MaxPacketLength = 1024 * 1024;

    private readonly Stream _fromServer;
    private readonly Stream _toServer;
    private readonly SshSession? _session;
    /// <summary>Bytes written at most in one write when queued packets are combined.</summary>
    private const int MaxBatchBytes = 256 * 1024;

    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentQueue<byte[]> _outgoing = new();
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<SftpResponse>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reading = Task.CompletedTask;
    private Exception? _failure;
    private int _nextId;

    private SftpClient(Stream fromServer, Stream toServer, SshSession? session)
    {
        // Buffered: a transfer's answers arrive back to back, and each packet is read as a header and a body.
        _fromServer = new BufferedStream(fromServer, 256 * 1024);
        _toServer = toServer;
        _session = session;
    }

    /// <summary>The version the server answered with.</summary>
    public uint ServerVersion { get; private set; }

    /// <summary>Opens the "sftp" subsystem on <paramref name="client"/> and starts the protocol; disposing the result closes the channel.</summary>
    public static async Task<SftpClient> ConnectAsync(SshClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var session = await client.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await session.StartSubsystemAsync("sftp", cancellationToken).ConfigureAwait(false);
            return await StartAsync(new SftpClient(session.StandardOutput, session.StandardInput, session), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts the protocol over a pair of streams (e.g. the pipes of an sftp-server process); the client owns neither.</summary>
    public static Task<SftpClient> ConnectAsync(Stream fromServer, Stream toServer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fromServer);
        ArgumentNullException.ThrowIfNull(toServer);
        return StartAsync(new SftpClient(fromServer, toServer, null), cancellationToken);
    }

    private static async Task<SftpClient> StartAsync(SftpClient client, CancellationToken cancellationToken)
    {
        try
        {
            // SSH_FXP_INIT has no request id; the answer, SSH_FXP_VERSION, has none either.
            await client.WritePacketAsync(new SshWriter(16).WriteByte((byte)SftpPacketType.Init).WriteUInt32(ProtocolVersion), default, cancellationToken)
                .ConfigureAwait(false);
            var (type, payload) = await client.ReadPacketAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new IOException("The SFTP server closed the stream before answering.");
            if (type != SftpPacketType.Version || payload.Length < 5)
            {
                throw new IOException($"The SFTP server answered {type} instead of its version.");
            }

            client.ServerVersion = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1));
            if (client.ServerVersion < ProtocolVersion)
            {
                throw new IOException($"The SFTP server speaks version {client.ServerVersion}; version 3 is required.");
            }
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        client._reading = client.ReadResponsesAsync();
        return client;
    }

    /// <summary>The canonical absolute form of <paramref name="path"/> ("." is the home directory).</summary>
    public async Task<string> RealPathAsync(string path, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(SftpPacketType.Realpath, w => w.WriteString(path), cancellationToken).ConfigureAwait(false);
        return FirstName(response, path);
    }

    /// <summary>The attributes of <paramref name="path"/>, following symbolic links.</summary>
    public Task<SftpAttributes> StatAsync(string path, CancellationToken cancellationToken = default) =>
        AttributesAsync(SftpPacketType.Stat, path, cancellationToken);

    /// <summary>The attributes of <paramref name="path"/> itself, not of what a symbolic link points to.</summary>
    public Task<SftpAttributes> LstatAsync(string path, CancellationToken cancellationToken = default) =>
        AttributesAsync(SftpPacketType.Lstat, path, cancellationToken);

    /// <summary>Sets the given attributes (null fields stay as they are).</summary>
    public async Task SetStatAsync(string path, SftpAttributes attributes, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(SftpPacketType.Setstat, w => attributes.Write(w.WriteString(path)), cancellationToken).ConfigureAwait(false);
        response.Expect(SftpPacketType.Status, path);
    }

    /// <summary>Opens a file; <paramref name="attributes"/> (e.g. the permissions) apply when it is created.</summary>
    public async Task<SftpHandle> OpenAsync(string path, SftpOpenMode mode, SftpAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(
            SftpPacketType.Open, w => (attributes ?? SftpAttributes.Empty).Write(w.WriteString(path).WriteUInt32((uint)mode)), cancellationToken).ConfigureAwait(false);
        return ToHandle(response, path);
    }

    /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/>; empty at the end of the file.</summary>
    public async Task<ReadOnlyMemory<byte>> ReadAsync(SftpHandle handle, long offset, int count, CancellationToken cancellationToken = default)
    {
        var response = await SendReadAsync(handle, offset, count, cancellationToken).ConfigureAwait(false);
        return ToData(response, handle);
    }

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>.</summary>
    public async Task WriteAsync(SftpHandle handle, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var response = await SendWriteAsync(handle, offset, data, cancellationToken).ConfigureAwait(false);
        response.Expect(SftpPacketType.Status, handle.Path);
    }

    /// <summary>Closes a file or directory handle.</summary>
    public async Task CloseAsync(SftpHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var response = await RequestAsync(SftpPacketType.Close, w => w.WriteString(handle.Value), cancellationToken).ConfigureAwait(false);
        response.Expect(SftpPacketType.Status, handle.Path);
    }

    /// <summary>Opens a directory for <see cref="ReadDirectoryAsync"/>.</summary>
    public async Task<SftpHandle> OpenDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(SftpPacketType.Opendir, w => w.WriteString(path), cancellationToken).ConfigureAwait(false);
        return ToHandle(response, path);
    }

    /// <summary>The next batch of entries of an open directory; empty when all were read.</summary>
    public async Task<IReadOnlyList<SftpDirectoryEntry>> ReadDirectoryAsync(SftpHandle handle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var response = await RequestAsync(SftpPacketType.Readdir, w => w.WriteString(handle.Value), cancellationToken).ConfigureAwait(false);
        if (response.IsEof)
        {
            return [];
        }

        response.Expect(SftpPacketType.Name, handle.Path);
        var reader = response.Reader();
        var count = reader.ReadUInt32();
        var entries = new List<SftpDirectoryEntry>((int)Math.Min(count, 1024));
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadUtf8String();
            var longName = reader.ReadUtf8String();
            entries.Add(new SftpDirectoryEntry(name, longName, SftpAttributes.Read(ref reader)));
        }

        return entries;
    }

    /// <summary>All entries of a directory except "." and "..".</summary>
    public async Task<IReadOnlyList<SftpDirectoryEntry>> ListDirectoryAsync(string path, CancellationToken cancellationToken = default)
    {
        var handle = await OpenDirectoryAsync(path, cancellationToken).ConfigureAwait(false);
        var all = new List<SftpDirectoryEntry>();
        try
        {
            while (await ReadDirectoryAsync(handle, cancellationToken).ConfigureAwait(false) is { Count: > 0 } batch)
            {
                all.AddRange(batch.Where(e => e.Name is not "." and not ".."));
            }
        }
        finally
        {
            await CloseAsync(handle, CancellationToken.None).ConfigureAwait(false);
        }

        return all;
    }

    /// <summary>Creates a directory.</summary>
    public async Task MakeDirectoryAsync(string path, SftpAttributes? attributes = null, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(SftpPacketType.Mkdir, w => (attributes ?? SftpAttributes.Empty).Write(w.WriteString(path)), cancellationToken)
            .ConfigureAwait(false);
        response.Expect(SftpPacketType.Status, path);
    }

    /// <summary>Deletes a file.</summary>
    public async Task RemoveAsync(string path, CancellationToken cancellationToken = default)
    {
        var response = await RequestAsync(SftpPacketType.Remove, w => w.WriteString(path), cancellationToken).ConfigureAwait(false);
        response.Expect(SftpPacketType.Status, path);
    }

    /// <summary>Ends the session: the server sees end of input; with an SSH channel, the channel is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        Fail(new ObjectDisposedException(nameof(SftpClient)));
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reader ends with whatever broke the stream; the client is closing anyway.
        }

        _writeLock.Dispose();
        _stop.Dispose();
    }

    private async Task<SftpAttributes> AttributesAsync(SftpPacketType type, string path, CancellationToken cancellationToken)
    {
        var response = await RequestAsync(type, w => w.WriteString(path), cancellationToken).ConfigureAwait(false);
        response.Expect(SftpPacketType.Attrs, path);
        var reader = response.Reader();
        return SftpAttributes.Read(ref reader);
    }

    private static string FirstName(SftpResponse response, string path)
    {
        response.Expect(SftpPacketType.Name, path);
        var reader = response.Reader();
        if (reader.ReadUInt32() == 0)
        {
            throw new SftpException(SftpStatusCode.BadMessage, "The server answered with no name.", path);
        }

        return reader.ReadUtf8String();
    }

    private static SftpHandle ToHandle(SftpResponse response, string path)
    {
        response.Expect(SftpPacketType.Handle, path);
        var reader = response.Reader();
        return new SftpHandle(reader.ReadString().ToArray(), path);
    }

    private static ReadOnlyMemory<byte> ToData(SftpResponse response, SftpHandle handle)
    {
        if (response.IsEof)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        response.Expect(SftpPacketType.Data, handle.Path);
        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(response.Payload.AsSpan(response.Offset));
        if (length > response.Payload.Length - response.Offset - 4)
        {
            throw new SftpException(SftpStatusCode.BadMessage, "The server's data packet is truncated.", handle.Path);
        }

        return response.Payload.AsMemory(response.Offset + 4, length);
    }

    private Task<SftpResponse> SendReadAsync(SftpHandle handle, long offset, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return RequestAsync(SftpPacketType.Read, w => w.WriteString(handle.Value).WriteUInt64((ulong)offset).WriteUInt32((uint)count), cancellationToken);
    }

    private Task<SftpResponse> SendWriteAsync(SftpHandle handle, long offset, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handle);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        return RequestAsync(
            SftpPacketType.Write, w => w.WriteString(handle.Value).WriteUInt64((ulong)offset).WriteUInt32((uint)data.Length), cancellationToken, data);
    }
}
