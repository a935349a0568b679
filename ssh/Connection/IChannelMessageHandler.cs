namespace Teleport.Orleans.Ssh.Connection;

/// <summary>What an open channel does with the messages of RFC 4254 §5.2-5.4, on the client and the server alike.</summary>
internal interface IChannelMessageHandler
{
    void OnWindowAdjust(uint bytes);

    /// <summary>CHANNEL_DATA; <paramref name="data"/> belongs to the handler (nobody reuses it).</summary>
    ValueTask OnDataAsync(ReadOnlyMemory<byte> data);

    /// <summary>EXTENDED_DATA; <paramref name="data"/> belongs to the handler (nobody reuses it).</summary>
    ValueTask OnExtendedDataAsync(uint dataType, ReadOnlyMemory<byte> data);

    void OnEof();

    Task OnCloseAsync();

    Task OnRequestAsync(string type, bool wantReply, byte[] data, CancellationToken cancellationToken);

    /// <summary>CHANNEL_SUCCESS or CHANNEL_FAILURE for a request that wanted a reply.</summary>
    void OnReply(bool success);
}
