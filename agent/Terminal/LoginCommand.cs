namespace Teleport.Orleans.Agent.Terminal;

/// <summary>
/// The executable and argv that run a program as a host login. A node running as root cannot change its own
/// credentials (every thread would change), and posix_spawn has no uid attribute, so the child starts as
/// util-linux's setpriv, which sets the user's gid, supplementary groups and uid and then executes the program.
/// A login shell needs argv[0] "-bash" while setpriv executes its argument as argv[0]; bash's <c>exec -a</c>
/// bridges that. A node that is not root runs programs directly and can only serve its own user.
/// </summary>
internal sealed record LoginCommand(string Path, IReadOnlyList<string> Arguments)
{
    public const string SetprivPath = "/usr/bin/setpriv";
    private const string BashPath = "/bin/bash";

    /// <summary>The user's shell as a login shell (argv[0] is "-" and the shell's name, as sshd starts it).</summary>
    public static LoginCommand Shell(UnixUser user, bool dropPrivileges)
    {
        var loginName = "-" + System.IO.Path.GetFileName(user.Shell);
        if (!dropPrivileges)
        {
            return new LoginCommand(user.Shell, [loginName]);
        }

        return File.Exists(BashPath)
            ? AsUser(user, [BashPath, "-c", "exec -a \"$0\" \"$1\"", loginName, user.Shell])
            : AsUser(user, [user.Shell, "-l"]);
    }

    /// <summary>The user's shell running <paramref name="command"/> (SHELL -c COMMAND).</summary>
    public static LoginCommand Command(UnixUser user, string command, bool dropPrivileges) =>
        Program(user, [user.Shell, "-c", command], dropPrivileges);

    /// <summary><paramref name="arguments"/> (argv[0] is the executable's path) as the user.</summary>
    public static LoginCommand Program(UnixUser user, IReadOnlyList<string> arguments, bool dropPrivileges) =>
        dropPrivileges ? AsUser(user, arguments) : new LoginCommand(arguments[0], arguments);

    /// <summary>Whether a node running as the current process user must switch to run as <paramref name="user"/>.</summary>
    public static bool MustDropPrivileges(UnixUser user) => UnixUser.ProcessIsRoot && user.Uid != 0;

    private static LoginCommand AsUser(UnixUser user, IReadOnlyList<string> program)
    {
        List<string> arguments =
        [
            SetprivPath,
            "--reuid=" + user.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--regid=" + user.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--init-groups",
            "--",
        ];
        arguments.AddRange(program);
        return new LoginCommand(SetprivPath, arguments);
    }
}
