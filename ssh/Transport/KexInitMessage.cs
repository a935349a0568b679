using System.Security.Cryptography;
using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Transport;

/// <summary>SSH_MSG_KEXINIT (RFC 4253 §7.1): a cookie and ten name-lists of algorithms in preference order.</summary>
internal sealed class KexInitMessage
{
    public const string StrictKexClient = "kex-strict-c-v00@openssh.com";
    public const string StrictKexServer = "kex-strict-s-v00@openssh.com";
    public const string ExtInfoClient = "ext-info-c";
    public const string ExtInfoServer = "ext-info-s";

    public string[] KeyExchange { get; init; } = [];

    public string[] HostKey { get; init; } = [];

    public string[] CiphersClientToServer { get; init; } = [];

    public string[] CiphersServerToClient { get; init; } = [];

    public string[] MacsClientToServer { get; init; } = [];

    public string[] MacsServerToClient { get; init; } = [];

    public string[] CompressionClientToServer { get; init; } = [];

    public string[] CompressionServerToClient { get; init; } = [];

    public bool FirstKexPacketFollows { get; init; }

    public byte[] Encode()
    {
        var cookie = new byte[16];
        RandomNumberGenerator.Fill(cookie);
        return new SshWriter(1024)
            .WriteByte(SshMessage.KexInit)
            .WriteRaw(cookie)
            .WriteNameList(KeyExchange)
            .WriteNameList(HostKey)
            .WriteNameList(CiphersClientToServer)
            .WriteNameList(CiphersServerToClient)
            .WriteNameList(MacsClientToServer)
            .WriteNameList(MacsServerToClient)
            .WriteNameList(CompressionClientToServer)
            .WriteNameList(CompressionServerToClient)
            .WriteNameList([])
            .WriteNameList([])
            .WriteBoolean(FirstKexPacketFollows)
            .WriteUInt32(0)
            .ToArray();
    }

    public static KexInitMessage Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new SshReader(payload);
            reader.ReadByte();
            reader.ReadRaw(16);
            var lists = new string[10][];
            for (var i = 0; i < lists.Length; i++)
            {
                lists[i] = reader.ReadNameList();
            }

            var follows = reader.ReadBoolean();
            reader.ReadUInt32(); // reserved; later fields, if a future version adds any, are ignored
            return new KexInitMessage
            {
                KeyExchange = lists[0],
                HostKey = lists[1],
                CiphersClientToServer = lists[2],
                CiphersServerToClient = lists[3],
                MacsClientToServer = lists[4],
                MacsServerToClient = lists[5],
                CompressionClientToServer = lists[6],
                CompressionServerToClient = lists[7],
                FirstKexPacketFollows = follows,
            };
        }
        catch (FormatException ex)
        {
            throw SshProtocolException.Protocol($"Malformed KEXINIT: {ex.Message}", ex);
        }
    }
}
