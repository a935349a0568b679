namespace Teleport.Orleans.Ssh.Keys;

/// <summary>The one-line text form <c>type base64 [comment]</c> shared by keys and certificates.</summary>
internal static class AuthorizedKeysLine
{
    private static readonly char[] Whitespace = [' ', '\t'];

    public static (string Type, byte[] Blob) Split(string line, string what)
    {
        var parts = line.Trim().Split(Whitespace, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            throw new FormatException($"Expected an SSH {what} line of the form 'type base64 [comment]'.");
        }

        try
        {
            return (parts[0], Convert.FromBase64String(parts[1]));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"The SSH {what} data is not valid base64.", ex);
        }
    }

    public static string Format(string type, ReadOnlySpan<byte> blob, string? comment)
    {
        var line = type + " " + Convert.ToBase64String(blob);
        return string.IsNullOrEmpty(comment) ? line : line + " " + comment;
    }
}
