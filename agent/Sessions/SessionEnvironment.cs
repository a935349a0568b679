using System.Globalization;
using System.Net;
using Teleport.Orleans.Agent.Terminal;

namespace Teleport.Orleans.Agent.Sessions;

/// <summary>
/// The environment of a session's program, built as OpenSSH's sshd builds it (Debian's default PATH), plus the
/// variables the client sent that pass the allow-list (sshd's AcceptEnv LANG LC_* on Debian).
/// </summary>
internal static class SessionEnvironment
{
    public const string UserPath = "/usr/local/bin:/usr/bin:/bin:/usr/games";
    public const string RootPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Whether the client may set <paramref name="name"/> with an "env" request.</summary>
    public static bool IsAccepted(string name) =>
        name == "LANG" || (name.StartsWith("LC_", StringComparison.Ordinal) && name.Length > 3 && IsPlainName(name));

    public static List<string> Build(
        UnixUser user, IReadOnlyDictionary<string, string> accepted, string? terminalType, string? terminalPath,
        IPEndPoint? client, IPEndPoint? server)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in accepted)
        {
            variables[name] = value;
        }

        variables["USER"] = user.Name;
        variables["LOGNAME"] = user.Name;
        variables["HOME"] = user.Home;
        variables["SHELL"] = user.Shell;
        variables["PATH"] = user.Uid == 0 ? RootPath : UserPath;
        variables["MAIL"] = "/var/mail/" + user.Name;
        if (terminalType is not null)
        {
            variables["TERM"] = terminalType;
        }

        if (terminalPath is not null)
        {
            variables["SSH_TTY"] = terminalPath;
        }

        var clientAddress = client?.Address.ToString() ?? "0.0.0.0";
        var clientPort = (client?.Port ?? 0).ToString(CultureInfo.InvariantCulture);
        var serverAddress = server?.Address.ToString() ?? "0.0.0.0";
        var serverPort = (server?.Port ?? 0).ToString(CultureInfo.InvariantCulture);
        variables["SSH_CLIENT"] = $"{clientAddress} {clientPort} {serverPort}";
        variables["SSH_CONNECTION"] = $"{clientAddress} {clientPort} {serverAddress} {serverPort}";
        return [.. variables.Select(v => v.Key + "=" + v.Value)];
    }

    private static bool IsPlainName(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
