using Teleport.Orleans.Ssh.Client;

namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// The node closed the connection with a reason (a lock, an expired certificate, idleness: Teleport's words in its
/// DISCONNECT). tsh then exits 255, as ssh(1), and says why once: the node usually wrote the same reason to the
/// session's stderr just before, and a reason already on the screen is not repeated.
/// </summary>
internal static class ServerDisconnect
{
    /// <summary>The line to print for <paramref name="failure"/>, or null when there is none or it was shown already.</summary>
    public static string? Notice(SshConnectionException failure, string shownTail)
    {
        if (failure.ServerMessage is not { } message || string.IsNullOrWhiteSpace(message))
        {
            return null;
        }

        return shownTail.TrimEnd().EndsWith(message.Trim(), StringComparison.Ordinal) ? null : message.Trim();
    }
}
