using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Fuzz.Targets;

/// <summary>
/// One SSH_MSG_USERAUTH_REQUEST payload (message number 50 first) through the server's authentication service.
/// Only <see cref="SshProtocolException"/> is expected: anything else would end a real connection as an
/// internal server error.
/// </summary>
internal sealed class UserAuthTarget : IFuzzTarget
{
    private readonly Lazy<UserAuthHarness> _harness = new(() => new UserAuthHarness());

    public string Name => "userauth";

    public void Run(ReadOnlySpan<byte> data)
    {
        // As UserAuthService's loop: other message numbers never reach the request parser.
        if (data.IsEmpty || data[0] != SshMessage.UserAuthRequest)
        {
            return;
        }

        try
        {
            _harness.Value.Run(data.ToArray());
        }
        catch (SshProtocolException)
        {
        }
    }
}
