namespace Teleport.Orleans.Cli.Tsh.Sessions;

/// <summary>The value of <c>tsh ssh -e</c>, as ssh(1) reads it: one character, <c>^X</c> for a control character, or <c>none</c>.</summary>
internal static class EscapeCharacter
{
    public const byte Default = (byte)'~';

    /// <summary>The escape byte, or null when escapes are off (<c>none</c>).</summary>
    public static byte? Parse(string? text)
    {
        if (text is null)
        {
            return Default;
        }

        if (text == "none")
        {
            return null;
        }

        if (text.Length == 2 && text[0] == '^' && text[1] is >= (char)64 and < (char)128)
        {
            return (byte)(text[1] & 31);
        }

        return text.Length == 1 && text[0] < 128
            ? (byte)text[0]
            : throw new TshException($"Bad escape character '{text}': give one character, ^X for a control character, or 'none'.");
    }
}
