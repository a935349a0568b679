namespace Teleport.Orleans.Gateway.Tunnels;

/// <summary>
/// The admission line for an agent that understands <see cref="TunnelPreface.Queued"/>: while it waits, the line is
/// written to it every interval, so that its silence limit (three keep-alive intervals) does not end the wait and it
/// can stand in the longer line (<see cref="TunnelAdmission.Informed"/>).
/// </summary>
internal static class InformedLine
{
    private static readonly byte[] QueuedLine = System.Text.Encoding.ASCII.GetBytes(TunnelPreface.Queued + "\n");

    /// <summary>A place for the agent's handshake, as <see cref="TunnelAdmission.EnterAsync(bool, CancellationToken)"/>.</summary>
    public static async Task<TunnelAdmission.Ticket?> EnterAsync(TunnelAdmission admission, Stream agent, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var leave = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var entering = admission.EnterAsync(informed: true, leave.Token).AsTask();
        try
        {
            while (await Task.WhenAny(entering, Task.Delay(interval, leave.Token)) != entering)
            {
                await agent.WriteAsync(QueuedLine, leave.Token);
                await agent.FlushAsync(leave.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The agent is gone (or the proxy stops): it leaves the line, and a place handed to it meanwhile is freed.
            await leave.CancelAsync();
            try
            {
                (await entering)?.Dispose();
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }

        return await entering;
    }
}
