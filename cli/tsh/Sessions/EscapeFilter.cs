namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>
/// Finds OpenSSH's escape sequences in typed input: the escape character (default <c>~</c>) right after a newline
/// (or at the start) followed by <c>.</c>, <c>?</c> or Ctrl-Z runs a command; typed twice it sends itself once;
/// followed by anything else both characters go through. Everything else passes unchanged, in order.
/// </summary>
internal sealed class EscapeFilter(byte? escapeCharacter)
{
    private const byte CtrlZ = 0x1a;

    private bool _afterNewline = true;
    private bool _escapePending;

    public byte? EscapeCharacter => escapeCharacter;

    /// <summary>Splits <paramref name="input"/> into what to send and the commands typed, in order.</summary>
    public List<EscapeStep> Filter(ReadOnlySpan<byte> input)
    {
        var steps = new List<EscapeStep>();
        if (escapeCharacter is not { } escape)
        {
            steps.Add(EscapeStep.Send(input.ToArray()));
            return steps;
        }

        var pending = new List<byte>(input.Length + 1);
        foreach (var b in input)
        {
            if (_escapePending)
            {
                _escapePending = false;
                var command = b switch
                {
                    (byte)'.' => EscapeCommand.Disconnect,
                    (byte)'?' => EscapeCommand.Help,
                    CtrlZ => EscapeCommand.Suspend,
                    _ => EscapeCommand.None,
                };
                if (command != EscapeCommand.None)
                {
                    // As OpenSSH: after a command the next character may start another escape.
                    Flush(steps, pending);
                    steps.Add(EscapeStep.Run(command));
                    continue;
                }

                if (b != escape)
                {
                    pending.Add(escape);
                }
            }
            else if (_afterNewline && b == escape)
            {
                _escapePending = true;
                continue;
            }

            _afterNewline = b is (byte)'\r' or (byte)'\n';
            pending.Add(b);
        }

        Flush(steps, pending);
        return steps;
    }

    /// <summary>The ~? text, CRLF-terminated for a raw terminal.</summary>
    public string Help()
    {
        var e = Display(escapeCharacter ?? (byte)'~');
        return $"{e}?\r\nSupported escape sequences:\r\n" +
            $" {e}.   - terminate connection\r\n" +
            $" {e}^Z  - suspend tsh\r\n" +
            $" {e}?   - this message\r\n" +
            $" {e}{e}   - send the escape character by typing it twice\r\n" +
            "(Note that escapes are only recognized immediately after newline.)\r\n";
    }

    /// <summary>How the escape character is shown: itself, or ^X for a control character.</summary>
    public static string Display(byte character) =>
        character < 0x20 ? "^" + (char)(character + 64) : ((char)character).ToString();

    private static void Flush(List<EscapeStep> steps, List<byte> pending)
    {
        if (pending.Count > 0)
        {
            steps.Add(EscapeStep.Send([.. pending]));
            pending.Clear();
        }
    }
}
