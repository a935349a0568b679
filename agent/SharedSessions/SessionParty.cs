using System.Threading.Channels;

namespace Teleport.Orleans.Agent.SharedSessions;

/// <summary>
/// One user who joined a session (not its owner): the session's output reaches them through a bounded queue and
/// one writer task, so a participant on a slow link never holds up the owner or the others; one who falls
/// <see cref="QueueLength"/> chunks behind is dropped with a notice instead.
/// </summary>
internal sealed class SessionParty
{
    public const int QueueLength = 4096;

    private readonly Channel<byte[]> _output = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(QueueLength) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public SessionParty(string user, string mode, string clientAddress)
    {
        User = user;
        Mode = mode;
        ClientAddress = clientAddress;
    }

    public string Id { get; } = Guid.NewGuid().ToString();

    public string User { get; }

    /// <summary>observer, moderator or peer.</summary>
    public string Mode { get; }

    public string ClientAddress { get; }

    public DateTimeOffset Joined { get; } = DateTimeOffset.UtcNow;

    /// <summary>Queues output; false when the participant is too far behind (the caller drops them).</summary>
    public bool TryQueue(byte[] data) => _output.Writer.TryWrite(data);

    /// <summary>No more output: the session ended or the participant was dropped.</summary>
    public void Complete() => _output.Writer.TryComplete();

    /// <summary>Copies queued output to the participant's channel until <see cref="Complete"/> or their departure.</summary>
    public async Task CopyOutputAsync(Stream client, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var chunk in _output.Reader.ReadAllAsync(cancellationToken))
            {
                await client.WriteAsync(chunk, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The participant left; the session goes on without them.
        }
    }
}
