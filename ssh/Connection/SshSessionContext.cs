namespace Teleport.Orleans.Ssh.Connection;

/// <summary>Who opened a session channel, handed to the session handler factory: the connection's user and the channel.</summary>
public sealed class SshSessionContext
{
    internal SshSessionContext(SshConnectionContext connection, uint channelId)
    {
        Connection = connection;
        ChannelId = channelId;
    }

    /// <summary>The authenticated user, key, certificate and peer of the connection the channel belongs to.</summary>
    public SshConnectionContext Connection { get; }

    /// <summary>Our channel number, for logs.</summary>
    public uint ChannelId { get; }
}
