namespace Teleport.Orleans.Ssh.Client;

/// <summary>The server refused to open a channel (CHANNEL_OPEN_FAILURE, RFC 4254 §5.1); the connection stays usable.</summary>
public sealed class SshChannelOpenException : IOException
{
    public SshChannelOpenException(string channelType, uint reasonCode, string description)
        : base($"The server refused to open a '{channelType}' channel ({Describe(reasonCode)}): {description}")
    {
        ChannelType = channelType;
        ReasonCode = reasonCode;
        Description = description;
    }

    public string ChannelType { get; }

    /// <summary>1 administratively prohibited, 2 connect failed, 3 unknown channel type, 4 resource shortage.</summary>
    public uint ReasonCode { get; }

    public string Description { get; }

    private static string Describe(uint code) => code switch
    {
        1 => "administratively prohibited",
        2 => "connect failed",
        3 => "unknown channel type",
        4 => "resource shortage",
        _ => $"reason {code}",
    };
}
