using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>One answer from the server: its type and the bytes after the request id.</summary>
internal readonly record struct SftpResponse(SftpPacketType Type, byte[] Payload, int Offset)
{
    public SshReader Reader() => new(Payload.AsSpan(Offset));

    /// <summary>Throws for an error status (or an unexpected answer); returns normally for SSH_FX_OK and the expected type.</summary>
    public void Expect(SftpPacketType type, string? path)
    {
        if (Type == type)
        {
            return;
        }

        if (Type == SftpPacketType.Status)
        {
            var reader = Reader();
            var code = (SftpStatusCode)reader.ReadUInt32();
            if (code == SftpStatusCode.Ok && type == SftpPacketType.Status)
            {
                return;
            }

            var message = reader.IsEmpty ? code.ToString() : reader.ReadUtf8String();
            throw new SftpException(code, message.Length == 0 ? code.ToString() : message, path);
        }

        throw new SftpException(SftpStatusCode.BadMessage, $"The server answered {Type} where {type} was expected.", path);
    }

    public bool IsEof => Type == SftpPacketType.Status && Payload.Length >= Offset + 4 && Reader().ReadUInt32() == (uint)SftpStatusCode.Eof;
}
