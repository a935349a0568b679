namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>The server answered a request with an error status; <see cref="Path"/> names the file it concerned.</summary>
public sealed class SftpException : IOException
{
    public SftpException(SftpStatusCode status, string message, string? path = null)
        : base(path is null ? message : $"{path}: {message}")
    {
        Status = status;
        Path = path;
    }

    public SftpStatusCode Status { get; }

    public string? Path { get; }
}
