namespace Teleport.Orleans.Ssh.Connection;

/// <summary>SSH_MSG_CHANNEL_OPEN_FAILURE reason codes (RFC 4254 §5.1).</summary>
internal enum ChannelOpenFailure : uint
{
    AdministrativelyProhibited = 1,
    ConnectFailed = 2,
    UnknownChannelType = 3,
    ResourceShortage = 4,
}
