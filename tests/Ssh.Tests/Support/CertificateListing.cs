namespace Teleport.Orleans.Ssh.Tests.Support;

/// <summary>
/// The output of <c>ssh-keygen -L</c>: "Name: value" lines at one indent, list items
/// (principals, options, extensions) at a deeper indent under their heading.
/// </summary>
internal sealed class CertificateListing
{
    private readonly Dictionary<string, string> _fields = [];
    private readonly Dictionary<string, List<string>> _lists = [];

    public static CertificateListing Read(string certificatePath)
    {
        var listing = new CertificateListing();
        string? heading = null;
        foreach (var line in SshKeygen.RunOk("-L", "-f", certificatePath).Split('\n').Skip(1))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("                ", StringComparison.Ordinal) && heading is not null)
            {
                listing._lists[heading].Add(trimmed);
                continue;
            }

            var colon = trimmed.IndexOf(':');
            heading = trimmed[..colon];
            listing._fields[heading] = trimmed[(colon + 1)..].Trim();
            listing._lists[heading] = [];
        }

        return listing;
    }

    public string this[string field] => _fields[field];

    /// <summary>The items under a heading, or "(none)" as a single item when ssh-keygen printed that.</summary>
    public IReadOnlyList<string> List(string heading) =>
        _fields[heading] == "(none)" ? ["(none)"] : _lists[heading];
}
