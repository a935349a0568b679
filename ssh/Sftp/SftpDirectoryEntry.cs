namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>One name of a directory listing (SSH_FXP_NAME): the file name, the <c>ls -l</c> style line and the attributes.</summary>
public sealed record SftpDirectoryEntry(string Name, string LongName, SftpAttributes Attributes);
