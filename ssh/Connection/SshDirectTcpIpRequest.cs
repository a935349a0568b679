using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Connection;

/// <summary>
/// A "direct-tcpip" channel open (RFC 4254 §7.2): the client wants a connection to <see cref="Host"/>:<see cref="Port"/>
/// (ssh -L, ssh -W, ProxyJump). The originator is what the client says its own end is; it is not verified.
/// </summary>
public sealed class SshDirectTcpIpRequest
{
    internal SshDirectTcpIpRequest(string host, uint port, string originatorAddress, uint originatorPort)
    {
        Host = host;
        Port = port;
        OriginatorAddress = originatorAddress;
        OriginatorPort = originatorPort;
    }

    public string Host { get; }

    public uint Port { get; }

    public string OriginatorAddress { get; }

    public uint OriginatorPort { get; }

    public override string ToString() => $"{Host}:{Port} from {OriginatorAddress}:{OriginatorPort}";

    internal static SshDirectTcpIpRequest Read(ReadOnlySpan<byte> data)
    {
        var reader = new SshReader(data);
        var request = new SshDirectTcpIpRequest(reader.ReadUtf8String(), reader.ReadUInt32(), reader.ReadUtf8String(), reader.ReadUInt32());
        reader.EnsureEnd("direct-tcpip");
        return request;
    }
}
