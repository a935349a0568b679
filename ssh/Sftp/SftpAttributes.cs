using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>
/// File attributes of SFTP version 3 (ATTRS): each field is null when the server did not send it, or, in a request,
/// when it should stay unchanged.
/// </summary>
public sealed record SftpAttributes
{
    private const uint SizeFlag = 0x1;
    private const uint UidGidFlag = 0x2;
    private const uint PermissionsFlag = 0x4;
    private const uint TimesFlag = 0x8;
    private const uint ExtendedFlag = 0x80000000;

    /// <summary>The POSIX S_IFMT bits of <see cref="Permissions"/>.</summary>
    private const uint FileTypeMask = 0xF000;
    private const uint DirectoryType = 0x4000;
    private const uint RegularFileType = 0x8000;

    public static SftpAttributes Empty { get; } = new();

    public ulong? Size { get; init; }

    public uint? UserId { get; init; }

    public uint? GroupId { get; init; }

    /// <summary>The POSIX mode: file type bits and permission bits (e.g. 0x81A4 for a regular file with 0644).</summary>
    public uint? Permissions { get; init; }

    public DateTimeOffset? AccessTime { get; init; }

    public DateTimeOffset? ModifyTime { get; init; }

    public bool IsDirectory => (Permissions & FileTypeMask) == DirectoryType;

    public bool IsRegularFile => (Permissions & FileTypeMask) == RegularFileType;

    internal static SftpAttributes Read(ref SshReader reader)
    {
        var flags = reader.ReadUInt32();
        ulong? size = (flags & SizeFlag) != 0 ? reader.ReadUInt64() : null;
        uint? uid = null, gid = null;
        if ((flags & UidGidFlag) != 0)
        {
            uid = reader.ReadUInt32();
            gid = reader.ReadUInt32();
        }

        uint? permissions = (flags & PermissionsFlag) != 0 ? reader.ReadUInt32() : null;
        DateTimeOffset? accessed = null, modified = null;
        if ((flags & TimesFlag) != 0)
        {
            accessed = DateTimeOffset.FromUnixTimeSeconds(reader.ReadUInt32());
            modified = DateTimeOffset.FromUnixTimeSeconds(reader.ReadUInt32());
        }

        if ((flags & ExtendedFlag) != 0)
        {
            // Extensions carry nothing this client uses; they are skipped so the rest of the packet still parses.
            var count = reader.ReadUInt32();
            for (var i = 0; i < count; i++)
            {
                reader.ReadString();
                reader.ReadString();
            }
        }

        return new SftpAttributes { Size = size, UserId = uid, GroupId = gid, Permissions = permissions, AccessTime = accessed, ModifyTime = modified };
    }

    internal void Write(SshWriter writer)
    {
        var flags = (Size is null ? 0 : SizeFlag) | (UserId is null || GroupId is null ? 0 : UidGidFlag)
            | (Permissions is null ? 0 : PermissionsFlag) | (AccessTime is null || ModifyTime is null ? 0 : TimesFlag);
        writer.WriteUInt32(flags);
        if (Size is { } size)
        {
            writer.WriteUInt64(size);
        }

        if ((flags & UidGidFlag) != 0)
        {
            writer.WriteUInt32(UserId!.Value).WriteUInt32(GroupId!.Value);
        }

        if (Permissions is { } permissions)
        {
            writer.WriteUInt32(permissions);
        }

        if ((flags & TimesFlag) != 0)
        {
            writer.WriteUInt32((uint)AccessTime!.Value.ToUnixTimeSeconds()).WriteUInt32((uint)ModifyTime!.Value.ToUnixTimeSeconds());
        }
    }
}
