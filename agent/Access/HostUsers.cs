using System.Runtime.InteropServices;

namespace Teleport.Orleans.Agent.Access;

/// <summary>Looks host logins up in the system's user database (NSS), as sshd does.</summary>
internal static partial class HostUsers
{
    public static bool Exists(string login)
    {
        if (OperatingSystem.IsWindows() || login.Length == 0 || login.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        return GetPasswordEntry(login) != IntPtr.Zero;
    }

    // getpwnam returns a pointer to static storage (or null); only its presence is used, so no copy is needed.
    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPasswordEntry(string name);
}
