using System.Runtime.InteropServices;
using System.Text;
using Teleport.Orleans.Unix;

namespace Teleport.Orleans.Agent.Terminal;

/// <summary>A host login as the user database (getpwnam_r) describes it: what a session runs as and starts in.</summary>
internal sealed record UnixUser(string Name, uint Uid, uint Gid, string Home, string Shell)
{
    /// <summary>Looks <paramref name="name"/> up in the user database; null when there is no such user.</summary>
    public static unsafe UnixUser? Lookup(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var encodedName = NativeText.Encode(name);
        for (var size = 1024; size <= 1 << 20; size *= 4)
        {
            var buffer = new byte[size];
            Libc.Passwd entry;
            Libc.Passwd* result = null;
            int error;
            fixed (byte* namePointer = encodedName)
            fixed (byte* bufferPointer = buffer)
            {
                error = Libc.getpwnam_r(namePointer, &entry, bufferPointer, (nuint)size, &result);
                if (error == 0 && result is not null)
                {
                    var shell = NativeText.Decode(entry.Shell);
                    return new UnixUser(
                        NativeText.Decode(entry.Name),
                        entry.Uid,
                        entry.Gid,
                        NativeText.Decode(entry.Directory),
                        string.IsNullOrEmpty(shell) ? "/bin/sh" : shell);
                }
            }

            if (error != Libc.ERANGE)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>The id of group <paramref name="name"/> (getgrnam_r), or null when it does not exist.</summary>
    public static unsafe uint? GroupId(string name)
    {
        var encodedName = NativeText.Encode(name);
        var buffer = new byte[16384];
        Libc.Group entry;
        Libc.Group* result = null;
        fixed (byte* namePointer = encodedName)
        fixed (byte* bufferPointer = buffer)
        {
            var error = Libc.getgrnam_r(namePointer, &entry, bufferPointer, (nuint)buffer.Length, &result);
            return error == 0 && result is not null ? entry.Gid : null;
        }
    }

    /// <summary>The node runs as root and may start sessions as any login.</summary>
    public static bool ProcessIsRoot => Libc.geteuid() == 0;

    /// <summary>The name of the user the node process runs as.</summary>
    public static string CurrentUserName => Environment.UserName;
}

/// <summary>NUL-terminated UTF-8 strings for libc.</summary>
internal static class NativeText
{
    public static byte[] Encode(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException("A NUL character cannot be passed to the operating system.", nameof(text));
        }

        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    public static unsafe string Decode(byte* text) => text is null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";
}
