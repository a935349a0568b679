namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>SSH_FX_* status codes of SFTP version 3.</summary>
public enum SftpStatusCode : uint
{
    Ok = 0,
    Eof = 1,
    NoSuchFile = 2,
    PermissionDenied = 3,
    Failure = 4,
    BadMessage = 5,
    NoConnection = 6,
    ConnectionLost = 7,
    OperationUnsupported = 8,
}
