namespace Teleport.Orleans.Ssh.Connection;

/// <summary>The signals SSH names (RFC 4254 §6.10, without "SIG") and their Linux numbers, for both ends of a session.</summary>
public static class SshSignalNames
{
    private static readonly Dictionary<string, int> NumbersByName = new(StringComparer.Ordinal)
    {
        ["HUP"] = 1,
        ["INT"] = 2,
        ["QUIT"] = 3,
        ["ILL"] = 4,
        ["ABRT"] = 6,
        ["FPE"] = 8,
        ["KILL"] = 9,
        ["USR1"] = 10,
        ["SEGV"] = 11,
        ["USR2"] = 12,
        ["PIPE"] = 13,
        ["ALRM"] = 14,
        ["TERM"] = 15,
    };

    private static readonly Dictionary<int, string> NamesByNumber = NumbersByName.ToDictionary(p => p.Value, p => p.Key);

    /// <summary>The name without a "SIG" prefix, as SSH sends it.</summary>
    public static string Bare(string name) => name.StartsWith("SIG", StringComparison.Ordinal) ? name[3..] : name;

    /// <summary>The number of an SSH signal name ("TERM" or "SIGTERM"), or null for names SSH does not define.</summary>
    public static int? FromName(string name) => NumbersByName.TryGetValue(Bare(name), out var number) ? number : null;

    /// <summary>
    /// The SSH name of signal <paramref name="number"/>; a signal SSH has no name for (SIGCHLD, real-time
    /// signals...) is reported by number, e.g. "SIG31" (the client still learns that a signal ended the program).
    /// </summary>
    public static string ToName(int number) => NamesByNumber.TryGetValue(number, out var name) ? name : "SIG" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
