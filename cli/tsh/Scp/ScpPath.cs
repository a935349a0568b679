namespace Teleport.Orleans.Cli.Tsh.Scp;

/// <summary>One side of tsh scp: a local path, or <c>[login@]node:path</c> on a node (as scp(1) tells them apart).</summary>
internal sealed record ScpPath(string? Login, string? Host, string Path)
{
    public bool IsRemote => Host is not null;

    public static ScpPath Parse(string text)
    {
        // As scp: a colon before any slash makes it remote; "./a:b" or "/x:y" stay local.
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (colon <= 0 || (slash >= 0 && slash < colon))
        {
            return new ScpPath(null, null, text);
        }

        var hostPart = text[..colon];
        var path = text[(colon + 1)..];
        var at = hostPart.LastIndexOf('@');
        var login = at < 0 ? null : hostPart[..at];
        var host = at < 0 ? hostPart : hostPart[(at + 1)..];
        if (host.Length == 0 || login is { Length: 0 })
        {
            throw new TshException($"'{text}' is not a valid remote path: expected [login@]node:path.");
        }

        // An empty remote path is the login's home directory, as with scp.
        return new ScpPath(login, host, path.Length == 0 ? "." : path);
    }
}
